package dev.nano.ext.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-CTR, AES-CBC, AES-GCM and AES-KW (WebCrypto §15-18). CTR is built on ECB here because the
 * JCA's CTR mode counts with the whole block, where WebCrypto counts with only the low
 * {@code length} bits and keeps the rest as a nonce. GCM tags of 32 and 64 bits, which the JCA
 * refuses, are the leading bits of the 128-bit tag (NIST SP 800-38D §7.1 MSB_t).
 */
final class Aes {
    private Aes() {}

    private static SecretKeySpec key(byte[] key) {
        return new SecretKeySpec(key, "AES");
    }

    // --- AES-CBC (§16.4), PKCS#7 padding ---

    static byte[] cbc(boolean encrypt, byte[] key, byte[] iv, byte[] data) {
        if (iv.length != 16) {
            throw CryptoException.operation("the AES-CBC iv must be 16 octets");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, key(key), new IvParameterSpec(iv));
            return cipher.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw CryptoException.operation(encrypt ? "AES-CBC encryption failed" : "AES-CBC decryption failed");
        }
    }

    // --- AES-CTR (§15.4): the low `length` bits of the counter block count, modulo 2^length ---

    static byte[] ctr(byte[] key, byte[] counter, int length, byte[] data) {
        if (counter.length != 16) {
            throw CryptoException.operation("the AES-CTR counter must be 16 octets");
        }
        if (length == 0 || length > 128) {
            throw CryptoException.operation("the AES-CTR counter length must be 1 to 128 bits");
        }
        long blocks = (data.length + 15L) / 16;
        if (length < 63 && blocks > (1L << length)) {
            throw CryptoException.operation("the AES-CTR counter would wrap around and repeat");
        }
        long hi = readLong(counter, 0), lo = readLong(counter, 8);
        long loMask = length >= 64 ? -1L : (1L << length) - 1;
        long hiMask = length <= 64 ? 0 : length == 128 ? -1L : (1L << (length - 64)) - 1;
        byte[] out = new byte[data.length];
        try {
            Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
            ecb.init(Cipher.ENCRYPT_MODE, key(key));
            byte[] stream = new byte[(int) Math.min(blocks, 256) * 16];
            for (int pos = 0; pos < data.length; ) {
                int chunk = Math.min(stream.length, ((data.length - pos + 15) / 16) * 16);
                for (int i = 0; i < chunk; i += 16) {
                    writeLong(stream, i, hi);
                    writeLong(stream, i + 8, lo);
                    long next = (lo & ~loMask) | ((lo + 1) & loMask);
                    if (hiMask != 0 && lo == -1L) {
                        hi = (hi & ~hiMask) | ((hi + 1) & hiMask);
                    }
                    lo = next;
                }
                byte[] keystream = ecb.doFinal(stream, 0, chunk);
                int n = Math.min(chunk, data.length - pos);
                for (int i = 0; i < n; i++) {
                    out[pos + i] = (byte) (data[pos + i] ^ keystream[i]);
                }
                pos += n;
            }
        } catch (GeneralSecurityException e) {
            throw CryptoException.operation("AES-CTR failed: " + e.getMessage());
        }
        return out;
    }

    private static long readLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }

    private static void writeLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    // --- AES-GCM (§17.4) ---

    static byte[] gcm(boolean encrypt, byte[] key, byte[] iv, byte[] aad, int tagLength, byte[] data) {
        switch (tagLength) {
            case 32, 64, 96, 104, 112, 120, 128 -> { }
            default -> throw CryptoException.operation("invalid AES-GCM tag length " + tagLength);
        }
        if (iv.length == 0) {
            throw CryptoException.operation("the AES-GCM iv must not be empty");
        }
        int tagBytes = tagLength / 8;
        try {
            if (encrypt) {
                if (tagLength >= 96) {
                    return gcmCipher(Cipher.ENCRYPT_MODE, key, iv, aad, tagLength).doFinal(data);
                }
                byte[] full = gcmCipher(Cipher.ENCRYPT_MODE, key, iv, aad, 128).doFinal(data);
                return Arrays.copyOf(full, data.length + tagBytes);
            }
            if (data.length < tagBytes) {
                throw CryptoException.operation("the AES-GCM ciphertext is shorter than its tag");
            }
            if (tagLength >= 96) {
                return gcmCipher(Cipher.DECRYPT_MODE, key, iv, aad, tagLength).doFinal(data);
            }
            // A short tag: the keystream is the encryption of zeros; decrypt with it, re-encrypt to
            // get the full tag, and compare its leading bits.
            int n = data.length - tagBytes;
            byte[] plaintext = gcmCipher(Cipher.ENCRYPT_MODE, key, iv, aad, 128).doFinal(new byte[n]);
            for (int i = 0; i < n; i++) {
                plaintext[i] ^= data[i];
            }
            byte[] check = gcmCipher(Cipher.ENCRYPT_MODE, key, iv, aad, 128).doFinal(plaintext, 0, n);
            if (!MessageDigest.isEqual(Arrays.copyOfRange(check, n, n + tagBytes), Arrays.copyOfRange(data, n, data.length))) {
                throw CryptoException.operation("AES-GCM authentication failed");
            }
            return Arrays.copyOf(plaintext, n);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw CryptoException.operation(encrypt ? "AES-GCM encryption failed" : "AES-GCM decryption failed");
        }
    }

    private static Cipher gcmCipher(int mode, byte[] key, byte[] iv, byte[] aad, int tagLength)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key(key), new GCMParameterSpec(tagLength, iv));
        if (aad != null && aad.length > 0) {
            cipher.updateAAD(aad);
        }
        return cipher;
    }

    // --- AES-KW (§18.4), RFC 3394 ---

    static byte[] kw(boolean wrap, byte[] key, byte[] data) {
        if (data.length % 8 != 0 || data.length < (wrap ? 16 : 24)) {
            throw CryptoException.operation("AES-KW data must be a multiple of 8 octets, at least " + (wrap ? 16 : 24));
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/KW/NoPadding");
            cipher.init(wrap ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, key(key));
            return cipher.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw CryptoException.operation(wrap ? "AES-KW wrapping failed" : "AES-KW unwrapping failed");
        }
    }
}
