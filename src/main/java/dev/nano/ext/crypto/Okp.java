package dev.nano.ext.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.EdDSAParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;

import javax.crypto.KeyAgreement;

/**
 * Ed25519, Ed448, X25519 and X448 (WebCrypto §25-28 and the Secure Curves draft) on the JDK's
 * EdDSA and XDH, with keys kept as raw octets: raw public keys, SubjectPublicKeyInfo and
 * PrivateKeyInfo with the RFC 8410 OIDs (no parameters; CurvePrivateKey inside), and OKP JWKs
 * (RFC 8037).
 */
final class Okp {
    private Okp() {}

    enum Kind {
        ED25519("Ed25519", 32, Der.OID_ED25519, true),
        ED448("Ed448", 57, Der.OID_ED448, true),
        X25519("X25519", 32, Der.OID_X25519, false),
        X448("X448", 56, Der.OID_X448, false);

        /** The WebCrypto name, which is also the JCA algorithm and named-parameter name. */
        final String jcaName;
        final int length;
        final byte[] oid;
        final boolean signs;

        Kind(String name, int length, byte[] oid, boolean signs) {
            this.jcaName = name;
            this.length = length;
            this.oid = oid;
            this.signs = signs;
        }

        static Kind of(String name) {
            for (Kind k : values()) {
                if (k.jcaName.equals(name)) {
                    return k;
                }
            }
            throw CryptoException.notSupported("unsupported algorithm " + name);
        }
    }

    static OkpKey[] generate(Kind kind) {
        byte[] privateBytes = new byte[kind.length];
        CryptoOps.RANDOM.nextBytes(privateBytes);
        byte[] publicBytes = publicFromPrivate(kind, privateBytes);
        return new OkpKey[] {new OkpKey(kind, publicBytes, null), new OkpKey(kind, publicBytes, privateBytes)};
    }

    /**
     * The public key of a private key: the JDK's key pair generator draws the private key as
     * {@code length} random octets and derives the public key from them (RFC 8032 §5.1.5,
     * RFC 7748 §6), so feeding it the private key as its "randomness" gives that derivation.
     */
    static byte[] publicFromPrivate(Kind kind, byte[] privateBytes) {
        SecureRandom fixed = new SecureRandom() {
            @Override
            public void nextBytes(byte[] out) {
                if (out.length != privateBytes.length) {
                    throw new IllegalStateException("unexpected draw of " + out.length + " octets");
                }
                System.arraycopy(privateBytes, 0, out, 0, out.length);
            }
        };
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(kind.jcaName);
            generator.initialize(new NamedParameterSpec(kind.jcaName), fixed);
            KeyPair pair = generator.generateKeyPair();
            byte[] spki = pair.getPublic().getEncoded();
            return Arrays.copyOfRange(spki, spki.length - kind.length, spki.length);
        } catch (GeneralSecurityException e) {
            throw CryptoException.operation("cannot derive the public key: " + e.getMessage());
        }
    }

    // --- Ed25519 / Ed448 sign and verify (§25.4, Secure Curves §4.4) ---

    static byte[] sign(OkpKey key, byte[] context, byte[] data) {
        if (key.privateBytes == null) {
            throw CryptoException.invalidAccess("signing needs a private key");
        }
        try {
            Signature s = signature(key.kind, context);
            s.initSign(key.jcaPrivate());
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw CryptoException.operation("signing failed: " + e.getMessage());
        }
    }

    static boolean verify(OkpKey key, byte[] context, byte[] signature, byte[] data) {
        if (key.privateBytes != null) {
            throw CryptoException.invalidAccess("verifying needs a public key");
        }
        int n = key.kind.length;
        if (signature.length != 2 * n) {
            return false;
        }
        // RFC 8032 §5.1.7: non-canonical encodings of A or R are rejected; so are small-order A and R
        // (which would make a signature valid for many messages, eprint 2020/1244).
        byte[] r = Arrays.copyOf(signature, n);
        if (key.kind == Kind.ED25519 && (weakEd25519Point(key.publicBytes) || weakEd25519Point(r))) {
            return false;
        }
        try {
            Signature s = signature(key.kind, context);
            s.initVerify(key.jcaPublic());
            s.update(data);
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static Signature signature(Kind kind, byte[] context) throws GeneralSecurityException {
        Signature s = Signature.getInstance(kind.jcaName);
        if (context != null && context.length > 0) {
            s.setParameter(new EdDSAParameterSpec(false, context));
        }
        return s;
    }

    private static final BigInteger P25519 = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
    // The y coordinates (little-endian) of Ed25519's order-8 points; y = 0, 1 and -1 give the others.
    private static final BigInteger ORDER8_A = littleEndian(new byte[] {(byte) 0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d,
        (byte) 0xd8, 0x4f, (byte) 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67, 0x0f, 0x2a, 0x20, 0x53, (byte) 0xfa, 0x2c,
        0x39, (byte) 0xcc, (byte) 0xc6, 0x4e, (byte) 0xc7, (byte) 0xfd, 0x77, (byte) 0x92, (byte) 0xac, 0x03, 0x7a});
    private static final BigInteger ORDER8_B = littleEndian(new byte[] {0x26, (byte) 0xe8, (byte) 0x95, (byte) 0x8f,
        (byte) 0xc2, (byte) 0xb2, 0x27, (byte) 0xb0, 0x45, (byte) 0xc3, (byte) 0xf4, (byte) 0x89, (byte) 0xf2,
        (byte) 0xef, (byte) 0x98, (byte) 0xf0, (byte) 0xd5, (byte) 0xdf, (byte) 0xac, 0x05, (byte) 0xd3, (byte) 0xc6,
        0x33, 0x39, (byte) 0xb1, 0x38, 0x02, (byte) 0x88, 0x6d, 0x53, (byte) 0xfc, 0x05});

    private static BigInteger littleEndian(byte[] le) {
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            be[i] = le[le.length - 1 - i];
        }
        return new BigInteger(1, be);
    }

    /** A non-canonical (y >= p) or small-order Ed25519 point encoding. */
    static boolean weakEd25519Point(byte[] encoded) {
        byte[] copy = encoded.clone();
        copy[31] &= 0x7f; // the sign of x
        BigInteger y = littleEndian(copy);
        if (y.compareTo(P25519) >= 0) {
            return true;
        }
        return y.signum() == 0 || y.equals(BigInteger.ONE) || y.equals(P25519.subtract(BigInteger.ONE))
                || y.equals(ORDER8_A) || y.equals(ORDER8_B);
    }

    // --- X25519 / X448 derive bits (§26.4, Secure Curves §6.4) ---

    static byte[] sharedSecret(OkpKey privateKey, OkpKey publicKey) {
        if (privateKey.kind != publicKey.kind) {
            throw CryptoException.invalidAccess("the public key is of another algorithm");
        }
        byte[] secret;
        try {
            KeyAgreement agreement = KeyAgreement.getInstance(privateKey.kind.jcaName);
            agreement.init(privateKey.jcaPrivate());
            agreement.doPhase(publicKey.jcaPublic(), true);
            secret = agreement.generateSecret();
        } catch (GeneralSecurityException | RuntimeException e) {
            throw CryptoException.operation("key agreement failed: " + e.getMessage());
        }
        // RFC 7748 §6.1: an all-zero result means a small-order public key.
        int acc = 0;
        for (byte b : secret) {
            acc |= b;
        }
        if (acc == 0) {
            throw CryptoException.operation("the shared secret is all zeros (small-order public key)");
        }
        return secret;
    }

    // --- formats ---

    static byte[] spki(Kind kind, byte[] publicBytes) {
        return Der.spki(Der.sequence(Der.oid(kind.oid)), publicBytes);
    }

    static byte[] pkcs8(Kind kind, byte[] privateBytes) {
        return Der.pkcs8(Der.sequence(Der.oid(kind.oid)), Der.octetString(privateBytes));
    }

    private static void checkAlgorithm(Kind kind, Der.KeyInfo info) {
        if (!info.is(kind.oid)) {
            throw CryptoException.data("the key is not an " + kind.jcaName + " key");
        }
        if (info.parameters() != null) {
            throw CryptoException.data("the " + kind.jcaName + " AlgorithmIdentifier must not have parameters");
        }
    }

    static OkpKey importBinary(Kind kind, int format, byte[] data) {
        switch (format) {
            case KeyFormats.RAW:
                if (data.length != kind.length) {
                    throw CryptoException.data("a raw " + kind.jcaName + " key has " + kind.length + " octets");
                }
                return new OkpKey(kind, data.clone(), null);
            case KeyFormats.SPKI: {
                Der.KeyInfo info = Der.parseSpki(data);
                checkAlgorithm(kind, info);
                if (info.key().length != kind.length) {
                    throw CryptoException.data("invalid " + kind.jcaName + " public key length");
                }
                return new OkpKey(kind, info.key(), null);
            }
            case KeyFormats.PKCS8: {
                Der.KeyInfo info = Der.parsePkcs8(data);
                checkAlgorithm(kind, info);
                Der.Reader r = new Der.Reader(info.key());
                byte[] privateBytes = r.octetString(); // RFC 8410 §7 CurvePrivateKey
                r.end();
                if (privateBytes.length != kind.length) {
                    throw CryptoException.data("invalid " + kind.jcaName + " private key length");
                }
                return new OkpKey(kind, publicFromPrivate(kind, privateBytes), privateBytes);
            }
            default:
                throw CryptoException.notSupported("unsupported key format");
        }
    }

    /** From JWK members (RFC 8037 §2): x always, d for a private key, which must match x. */
    static OkpKey importJwk(Kind kind, String x, String d) {
        if (x == null) {
            throw CryptoException.data("an OKP JWK needs x");
        }
        byte[] publicBytes = KeyFormats.fromBase64Url(x);
        if (publicBytes.length != kind.length) {
            throw CryptoException.data("invalid " + kind.jcaName + " public key length");
        }
        if (d == null) {
            return new OkpKey(kind, publicBytes, null);
        }
        byte[] privateBytes = KeyFormats.fromBase64Url(d);
        if (privateBytes.length != kind.length) {
            throw CryptoException.data("invalid " + kind.jcaName + " private key length");
        }
        if (!Arrays.equals(publicFromPrivate(kind, privateBytes), publicBytes)) {
            throw CryptoException.data("the JWK's x does not match its d");
        }
        return new OkpKey(kind, publicBytes, privateBytes);
    }

    static byte[] exportBinary(OkpKey key, int format) {
        switch (format) {
            case KeyFormats.RAW:
            case KeyFormats.SPKI:
                if (key.privateBytes != null) {
                    throw CryptoException.invalidAccess("this format needs a public key");
                }
                return format == KeyFormats.RAW ? key.publicBytes.clone() : spki(key.kind, key.publicBytes);
            case KeyFormats.PKCS8:
                if (key.privateBytes == null) {
                    throw CryptoException.invalidAccess("pkcs8 export needs a private key");
                }
                return pkcs8(key.kind, key.privateBytes);
            default:
                throw CryptoException.notSupported("unsupported key format");
        }
    }

    /** x, or x.d for a private key (base64url). */
    static String exportJwk(OkpKey key) {
        String x = KeyFormats.base64Url(key.publicBytes);
        return key.privateBytes == null ? x : x + '.' + KeyFormats.base64Url(key.privateBytes);
    }
}
