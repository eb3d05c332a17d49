package dev.nano.ext.crypto;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.util.Arrays;

import javax.crypto.KeyAgreement;

/**
 * ECDSA and ECDH on P-256, P-384 and P-521 (WebCrypto §23, §24): signatures in IEEE P1363 form
 * (r || s, each the size of the group order), points in SEC 1 §2.3.3/2.3.4 form (uncompressed on
 * export; compressed accepted on import), every imported point checked to be on the curve.
 */
final class Ec {
    private Ec() {}

    /** The NIST curves WebCrypto names (§23.1 NamedCurve). */
    enum Curve {
        P256("P-256", "secp256r1", Der.OID_P256),
        P384("P-384", "secp384r1", Der.OID_P384),
        P521("P-521", "secp521r1", Der.OID_P521);

        final String webName;
        final String jcaName;
        final byte[] oid;
        final ECParameterSpec spec;
        final BigInteger p;
        /** Octets of a field element, and of a scalar (the same for these curves). */
        final int size;

        Curve(String webName, String jcaName, byte[] oid) {
            this.webName = webName;
            this.jcaName = jcaName;
            this.oid = oid;
            try {
                AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
                params.init(new ECGenParameterSpec(jcaName));
                this.spec = params.getParameterSpec(ECParameterSpec.class);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
            this.p = ((ECFieldFp) spec.getCurve().getField()).getP();
            this.size = (p.bitLength() + 7) / 8;
        }

        static Curve of(String name) {
            for (Curve c : values()) {
                if (c.webName.equals(name)) {
                    return c;
                }
            }
            throw CryptoException.notSupported("unsupported named curve " + name);
        }

        static Curve ofOid(byte[] oid) {
            for (Curve c : values()) {
                if (Arrays.equals(c.oid, oid)) {
                    return c;
                }
            }
            throw CryptoException.data("unsupported named curve");
        }

        /** x^3 + ax + b mod p: the right-hand side of the curve equation. */
        BigInteger rhs(BigInteger x) {
            return x.pow(3).add(spec.getCurve().getA().multiply(x)).add(spec.getCurve().getB()).mod(p);
        }

        boolean onCurve(ECPoint q) {
            BigInteger x = q.getAffineX(), y = q.getAffineY();
            return x.signum() >= 0 && x.compareTo(p) < 0 && y.signum() >= 0 && y.compareTo(p) < 0
                    && y.multiply(y).mod(p).equals(rhs(x));
        }
    }

    static EcKey[] generate(Curve curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(curve.jcaName));
            KeyPair pair = generator.generateKeyPair();
            ECPoint q = ((ECPublicKey) pair.getPublic()).getW();
            return new EcKey[] {new EcKey(curve, q, null), new EcKey(curve, q, ((ECPrivateKey) pair.getPrivate()).getS())};
        } catch (GeneralSecurityException e) {
            throw CryptoException.operation("cannot generate an EC key pair: " + e.getMessage());
        }
    }

    // --- ECDSA (§23.4) ---

    static byte[] sign(Digest hash, EcKey key, byte[] data) {
        if (key.d == null) {
            throw CryptoException.invalidAccess("signing needs a private key");
        }
        try {
            Signature s = Signature.getInstance(hash.jcaShort + "withECDSAinP1363Format");
            s.initSign(key.jcaPrivate());
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw CryptoException.operation("ECDSA signing failed: " + e.getMessage());
        }
    }

    static boolean verify(Digest hash, EcKey key, byte[] signature, byte[] data) {
        if (key.d != null) {
            throw CryptoException.invalidAccess("verifying needs a public key");
        }
        // §23.4 verify: a signature that is not 2 * n octets does not verify.
        if (signature.length != 2 * orderSize(key.curve)) {
            return false;
        }
        try {
            Signature s = Signature.getInstance(hash.jcaShort + "withECDSAinP1363Format");
            s.initVerify(key.jcaPublic());
            s.update(data);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static int orderSize(Curve curve) {
        return (curve.spec.getOrder().bitLength() + 7) / 8;
    }

    // --- ECDH (§24.4 derive bits): the shared x coordinate ---

    static byte[] sharedSecret(EcKey privateKey, EcKey publicKey) {
        if (privateKey.curve != publicKey.curve) {
            throw CryptoException.invalidAccess("the public key is on another curve");
        }
        try {
            KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
            agreement.init(privateKey.jcaPrivate());
            agreement.doPhase(publicKey.jcaPublic(), true);
            return agreement.generateSecret();
        } catch (GeneralSecurityException | IllegalStateException e) {
            throw CryptoException.operation("ECDH failed: " + e.getMessage());
        }
    }

    // --- points ---

    /** SEC 1 §2.3.4 Octet-String-to-Elliptic-Curve-Point, uncompressed or compressed; on the curve. */
    static ECPoint decodePoint(Curve curve, byte[] data) {
        int n = curve.size;
        ECPoint q;
        if (data.length == 1 + 2 * n && data[0] == 4) {
            q = new ECPoint(new BigInteger(1, Arrays.copyOfRange(data, 1, 1 + n)),
                    new BigInteger(1, Arrays.copyOfRange(data, 1 + n, data.length)));
        } else if (data.length == 1 + n && (data[0] == 2 || data[0] == 3)) {
            BigInteger x = new BigInteger(1, Arrays.copyOfRange(data, 1, data.length));
            if (x.compareTo(curve.p) >= 0) {
                throw CryptoException.data("invalid EC point");
            }
            // p = 3 mod 4 for the three curves: a square root is rhs^((p+1)/4).
            BigInteger rhs = curve.rhs(x);
            BigInteger y = rhs.modPow(curve.p.add(BigInteger.ONE).shiftRight(2), curve.p);
            if (y.testBit(0) != (data[0] == 3)) {
                y = curve.p.subtract(y).mod(curve.p);
            }
            q = new ECPoint(x, y);
        } else {
            throw CryptoException.data("invalid EC point encoding");
        }
        if (!curve.onCurve(q)) {
            throw CryptoException.data("the point is not on the curve");
        }
        return q;
    }

    static byte[] encodePoint(Curve curve, ECPoint q) {
        int n = curve.size;
        byte[] out = new byte[1 + 2 * n];
        out[0] = 4;
        System.arraycopy(KeyFormats.fixed(q.getAffineX(), n), 0, out, 1, n);
        System.arraycopy(KeyFormats.fixed(q.getAffineY(), n), 0, out, 1 + n, n);
        return out;
    }

    /** d * G in affine coordinates: only for a private key imported without its public point. */
    static ECPoint multiplyGenerator(Curve curve, BigInteger d) {
        BigInteger p = curve.p, a = curve.spec.getCurve().getA();
        ECPoint result = ECPoint.POINT_INFINITY;
        ECPoint addend = curve.spec.getGenerator();
        for (int i = 0; i < d.bitLength(); i++) {
            if (d.testBit(i)) {
                result = add(result, addend, p, a);
            }
            addend = add(addend, addend, p, a);
        }
        return result;
    }

    private static ECPoint add(ECPoint s, ECPoint t, BigInteger p, BigInteger a) {
        if (s.equals(ECPoint.POINT_INFINITY)) {
            return t;
        }
        if (t.equals(ECPoint.POINT_INFINITY)) {
            return s;
        }
        BigInteger x1 = s.getAffineX(), y1 = s.getAffineY(), x2 = t.getAffineX(), y2 = t.getAffineY();
        BigInteger lambda;
        if (x1.equals(x2)) {
            if (!y1.equals(y2) || y1.signum() == 0) {
                return ECPoint.POINT_INFINITY;
            }
            lambda = x1.pow(2).multiply(BigInteger.valueOf(3)).add(a).multiply(y1.shiftLeft(1).modInverse(p)).mod(p);
        } else {
            lambda = y2.subtract(y1).multiply(x2.subtract(x1).modInverse(p)).mod(p);
        }
        BigInteger x3 = lambda.pow(2).subtract(x1).subtract(x2).mod(p);
        BigInteger y3 = lambda.multiply(x1.subtract(x3)).subtract(y1).mod(p);
        return new ECPoint(x3, y3);
    }

    /** Checks that d and Q belong together by signing and verifying a probe (cheaper than d * G). */
    private static void checkPair(EcKey key) {
        EcKey publicKey = new EcKey(key.curve, key.point, null);
        byte[] probe = {'n', 'a', 'n', 'o'};
        if (!verify(Digest.SHA_256, publicKey, sign(Digest.SHA_256, key, probe), probe)) {
            throw CryptoException.data("the EC public key does not match the private key");
        }
    }

    private static BigInteger checkScalar(Curve curve, BigInteger d) {
        if (d.signum() <= 0 || d.compareTo(curve.spec.getOrder()) >= 0) {
            throw CryptoException.data("invalid EC private key");
        }
        return d;
    }

    // --- import (§23.5 / §24.5 import key) ---

    static EcKey importBinary(Curve curve, int format, byte[] data) {
        switch (format) {
            case KeyFormats.RAW:
                return new EcKey(curve, decodePoint(curve, data), null);
            case KeyFormats.SPKI: {
                Der.KeyInfo info = Der.parseSpki(data);
                Curve named = namedCurve(info);
                ECPoint q = decodePoint(named, info.key());
                if (named != curve) {
                    throw CryptoException.data("the key is on " + named.webName + ", not " + curve.webName);
                }
                return new EcKey(curve, q, null);
            }
            case KeyFormats.PKCS8: {
                Der.KeyInfo info = Der.parsePkcs8(data);
                Curve named = namedCurve(info);
                // RFC 5915 ECPrivateKey ::= SEQUENCE { version 1, privateKey OCTET STRING,
                //   parameters [0] ECParameters OPTIONAL, publicKey [1] BIT STRING OPTIONAL }
                Der.Reader top = new Der.Reader(info.key());
                Der.Reader seq = top.sequence();
                top.end();
                if (!seq.integer().equals(BigInteger.ONE)) {
                    throw CryptoException.data("unsupported ECPrivateKey version");
                }
                BigInteger d = new BigInteger(1, seq.octetString());
                if (seq.peekTag() == 0xa0) {
                    Der.Reader params = seq.explicit(0);
                    byte[] oid = params.oid();
                    params.end();
                    if (!Arrays.equals(oid, named.oid)) {
                        throw CryptoException.data("the ECPrivateKey parameters name another curve");
                    }
                }
                byte[] publicKey = null;
                if (seq.peekTag() == 0xa1) {
                    Der.Reader pub = seq.explicit(1);
                    publicKey = pub.bitString();
                    pub.end();
                }
                seq.end();
                if (named != curve) {
                    throw CryptoException.data("the key is on " + named.webName + ", not " + curve.webName);
                }
                checkScalar(curve, d);
                if (publicKey == null) {
                    return new EcKey(curve, multiplyGenerator(curve, d), d);
                }
                EcKey key = new EcKey(curve, decodePoint(curve, publicKey), d);
                checkPair(key);
                return key;
            }
            default:
                throw CryptoException.notSupported("unsupported key format");
        }
    }

    /** The curve an id-ecPublicKey AlgorithmIdentifier names (RFC 5480 §2.1.1 namedCurve only). */
    private static Curve namedCurve(Der.KeyInfo info) {
        if (!info.is(Der.OID_EC_PUBLIC_KEY)) {
            throw CryptoException.data("the key is not an id-ecPublicKey key");
        }
        if (info.parameters() == null) {
            throw CryptoException.data("the EC key has no curve parameters");
        }
        byte[] oid = info.parameters().oid();
        info.parameters().end();
        return Curve.ofOid(oid);
    }

    /** From JWK members (RFC 7518 §6.2): x and y of the field size, d of the order size. */
    static EcKey importJwk(Curve curve, String x, String y, String d) {
        if (x == null || y == null) {
            throw CryptoException.data("an EC JWK needs x and y");
        }
        byte[] xb = KeyFormats.fromBase64Url(x), yb = KeyFormats.fromBase64Url(y);
        if (xb.length != curve.size || yb.length != curve.size) {
            throw CryptoException.data("EC JWK coordinates of the wrong length");
        }
        ECPoint q = new ECPoint(new BigInteger(1, xb), new BigInteger(1, yb));
        if (!curve.onCurve(q)) {
            throw CryptoException.data("the point is not on the curve");
        }
        if (d == null) {
            return new EcKey(curve, q, null);
        }
        byte[] db = KeyFormats.fromBase64Url(d);
        if (db.length != curve.size) {
            throw CryptoException.data("EC JWK private key of the wrong length");
        }
        EcKey key = new EcKey(curve, q, checkScalar(curve, new BigInteger(1, db)));
        checkPair(key);
        return key;
    }

    // --- export (§23.5 / §24.5 export key) ---

    private static byte[] algorithmIdentifier(Curve curve) {
        return Der.sequence(Der.oid(Der.OID_EC_PUBLIC_KEY), Der.oid(curve.oid));
    }

    static byte[] exportBinary(EcKey key, int format) {
        switch (format) {
            case KeyFormats.RAW:
            case KeyFormats.SPKI:
                if (key.d != null) {
                    throw CryptoException.invalidAccess("this format needs a public key");
                }
                byte[] point = encodePoint(key.curve, key.point);
                return format == KeyFormats.RAW ? point : Der.spki(algorithmIdentifier(key.curve), point);
            case KeyFormats.PKCS8:
                if (key.d == null) {
                    throw CryptoException.invalidAccess("pkcs8 export needs a private key");
                }
                byte[] ecPrivateKey = Der.sequence(Der.integer(1), Der.octetString(KeyFormats.fixed(key.d, key.curve.size)),
                        Der.tlv(0xa1, Der.bitString(encodePoint(key.curve, key.point))));
                return Der.pkcs8(algorithmIdentifier(key.curve), ecPrivateKey);
            default:
                throw CryptoException.notSupported("unsupported key format");
        }
    }

    /** x.y, or x.y.d for a private key (base64url). */
    static String exportJwk(EcKey key) {
        int n = key.curve.size;
        String s = KeyFormats.base64Url(KeyFormats.fixed(key.point.getAffineX(), n)) + '.'
                + KeyFormats.base64Url(KeyFormats.fixed(key.point.getAffineY(), n));
        return key.d == null ? s : s + '.' + KeyFormats.base64Url(KeyFormats.fixed(key.d, n));
    }
}
