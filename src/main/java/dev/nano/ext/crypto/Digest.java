package dev.nano.ext.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The SHA family (WebCrypto §30 "SHA"): the digest operation, and the names other algorithms use
 * for the same hash in the JCA (HMAC, RSA and ECDSA signatures, PSS/OAEP/MGF1 parameters).
 */
enum Digest {
    SHA_1("SHA-1", "SHA1", 20, 64),
    SHA_256("SHA-256", "SHA256", 32, 64),
    SHA_384("SHA-384", "SHA384", 48, 128),
    SHA_512("SHA-512", "SHA512", 64, 128);

    /** The WebCrypto name, which is also the JCA MessageDigest name. */
    final String webName;
    /** The name inside JCA compound names ({@code HmacSHA256}, {@code SHA256withRSA}). */
    final String jcaShort;
    final int length;
    final int blockSize;
    /**
     * A digest never updated, cloned for each use: MessageDigest.getInstance looks the provider up
     * every time, which took twice as long as hashing a small body (profile of bench/apps/realistic.js).
     */
    private final MessageDigest prototype;

    Digest(String webName, String jcaShort, int length, int blockSize) {
        this.webName = webName;
        this.jcaShort = jcaShort;
        this.length = length;
        this.blockSize = blockSize;
        this.prototype = getInstance(webName);
    }

    private static MessageDigest getInstance(String name) {
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The hash named by a normalized algorithm name (JS only passes registered names). */
    static Digest of(String name) {
        for (Digest d : values()) {
            if (d.webName.equals(name)) {
                return d;
            }
        }
        throw CryptoException.notSupported("unsupported hash " + name);
    }

    MessageDigest newDigest() {
        try {
            return (MessageDigest) prototype.clone(); // safe from any thread: the prototype is never updated
        } catch (CloneNotSupportedException e) { // a provider whose digests cannot be cloned
            return getInstance(webName);
        }
    }

    String hmacName() {
        return "Hmac" + jcaShort;
    }

    byte[] digest(byte[] data) {
        return newDigest().digest(data);
    }
}
