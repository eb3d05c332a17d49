package dev.nano.ext.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC (WebCrypto §29): sign computes the MAC, verify compares it in constant time. */
final class Hmac {
    private Hmac() {}

    static Mac mac(Digest hash, byte[] key) {
        try {
            Mac mac = Mac.getInstance(hash.hmacName());
            // HMAC pads a short key with zeros (RFC 2104 §2), so an empty key is one zero octet.
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, hash.hmacName()));
            return mac;
        } catch (GeneralSecurityException e) {
            throw CryptoException.operation("HMAC failed: " + e.getMessage());
        }
    }

    static byte[] sign(Digest hash, byte[] key, byte[] data) {
        return mac(hash, key).doFinal(data);
    }

    static boolean verify(Digest hash, byte[] key, byte[] signature, byte[] data) {
        return MessageDigest.isEqual(sign(hash, key, data), signature);
    }
}
