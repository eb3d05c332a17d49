package dev.nano.ext.crypto;

import java.security.MessageDigest;

import javax.crypto.Mac;

/** HKDF (RFC 5869; WebCrypto §31) and PBKDF2 (RFC 8018 §5.2; WebCrypto §32) over the SHA family. */
final class Kdf {
    private Kdf() {}

    /** HKDF-Extract then -Expand to {@code length} octets. */
    static byte[] hkdf(Digest hash, byte[] ikm, byte[] salt, byte[] info, int length) {
        if (length > 255 * hash.length) {
            throw CryptoException.operation("HKDF cannot derive more than 255 hash lengths");
        }
        byte[] prk = Hmac.sign(hash, salt, ikm); // an empty salt is HashLen zeros, as HMAC pads it
        Mac mac = Hmac.mac(hash, prk);
        byte[] out = new byte[length];
        byte[] t = new byte[0];
        for (int done = 0, i = 1; done < length; i++) {
            mac.update(t);
            mac.update(info);
            mac.update((byte) i);
            t = mac.doFinal();
            int n = Math.min(t.length, length - done);
            System.arraycopy(t, 0, out, done, n);
            done += n;
        }
        return out;
    }

    /**
     * PBKDF2 with HMAC-{@code hash}. The inner and outer HMAC states after the padded key are
     * computed once and cloned for each iteration: two compression calls per iteration instead of
     * the four a fresh {@link Mac#doFinal} costs.
     */
    static byte[] pbkdf2(Digest hash, byte[] password, byte[] salt, long iterations, int length) {
        if (iterations == 0) {
            throw CryptoException.operation("PBKDF2 needs at least one iteration");
        }
        int block = hash.blockSize;
        byte[] key = password.length > block ? hash.digest(password) : password;
        byte[] ipad = new byte[block], opad = new byte[block];
        for (int i = 0; i < block; i++) {
            byte k = i < key.length ? key[i] : 0;
            ipad[i] = (byte) (k ^ 0x36);
            opad[i] = (byte) (k ^ 0x5c);
        }
        MessageDigest inner = hash.newDigest(), outer = hash.newDigest();
        inner.update(ipad);
        outer.update(opad);
        int hLen = hash.length;
        byte[] out = new byte[length];
        try {
            for (int blockIndex = 1, done = 0; done < length; blockIndex++) {
                MessageDigest md = (MessageDigest) inner.clone();
                md.update(salt);
                md.update(new byte[] {(byte) (blockIndex >>> 24), (byte) (blockIndex >>> 16), (byte) (blockIndex >>> 8),
                    (byte) blockIndex});
                byte[] u = finish(outer, md.digest());
                byte[] t = u.clone();
                for (long i = 1; i < iterations; i++) {
                    md = (MessageDigest) inner.clone();
                    md.update(u);
                    u = finish(outer, md.digest());
                    for (int j = 0; j < hLen; j++) {
                        t[j] ^= u[j];
                    }
                }
                int n = Math.min(hLen, length - done);
                System.arraycopy(t, 0, out, done, n);
                done += n;
            }
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static byte[] finish(MessageDigest outer, byte[] innerHash) throws CloneNotSupportedException {
        MessageDigest md = (MessageDigest) outer.clone();
        md.update(innerHash);
        return md.digest();
    }
}
