package dev.nano.ext.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPublicKeySpec;

import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/**
 * RSASSA-PKCS1-v1_5, RSA-PSS and RSA-OAEP (WebCrypto §20, §21, §22) on the JCA, with the key
 * formats of §20.8: SubjectPublicKeyInfo and PrivateKeyInfo with the rsaEncryption OID (RFC 3447
 * RSAPublicKey / RSAPrivateKey, encoded here so that an export is byte-exact), and JWK (RFC 7518 §6.3).
 */
final class Rsa {
    private Rsa() {}

    /** Checks generation parameters without generating (the JCA's limits: 512+ bits, odd e >= 3). */
    static Boolean check(int bits, byte[] exponent) {
        try {
            KeyPairGenerator.getInstance("RSA").initialize(new RSAKeyGenParameterSpec(bits, new BigInteger(1, exponent)));
            return Boolean.TRUE;
        } catch (GeneralSecurityException | IllegalArgumentException ex) {
            throw CryptoException.operation("cannot generate an RSA key pair: " + ex.getMessage());
        }
    }

    /** generateKey: a key pair of {@code bits} with public exponent {@code exponent} (big-endian). */
    static RsaKey[] generate(int bits, byte[] exponent) {
        BigInteger e = new BigInteger(1, exponent);
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(new RSAKeyGenParameterSpec(bits, e));
            KeyPair pair = generator.generateKeyPair();
            return new RsaKey[] {
                new RsaKey((RSAPublicKey) pair.getPublic(), null),
                new RsaKey(null, (RSAPrivateCrtKey) pair.getPrivate()),
            };
        } catch (GeneralSecurityException | IllegalArgumentException ex) {
            throw CryptoException.operation("cannot generate an RSA key pair: " + ex.getMessage());
        }
    }

    // --- sign and verify (§20.7, §21.7) ---

    private static Signature signature(String algorithm, Digest hash, int saltLength) throws GeneralSecurityException {
        if (algorithm.equals("RSA-PSS")) {
            Signature s = Signature.getInstance("RSASSA-PSS");
            s.setParameter(new PSSParameterSpec(hash.webName, "MGF1", new MGF1ParameterSpec(hash.webName), saltLength, 1));
            return s;
        }
        return Signature.getInstance(hash.jcaShort + "withRSA");
    }

    static byte[] sign(String algorithm, Digest hash, int saltLength, RsaKey key, byte[] data) {
        if (key.privateKey() == null) {
            throw CryptoException.invalidAccess("signing needs a private key");
        }
        try {
            Signature s = signature(algorithm, hash, saltLength);
            s.initSign(key.privateKey());
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw CryptoException.operation("RSA signing failed: " + e.getMessage());
        }
    }

    static boolean verify(String algorithm, Digest hash, int saltLength, RsaKey key, byte[] signature, byte[] data) {
        if (key.publicKey() == null) {
            throw CryptoException.invalidAccess("verifying needs a public key");
        }
        try {
            Signature s = signature(algorithm, hash, saltLength);
            s.initVerify(key.publicKey());
            s.update(data);
            return s.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false; // a malformed signature, or a salt length the key cannot hold: not verified
        }
    }

    // --- RSA-OAEP encrypt and decrypt (§22.4) ---

    static byte[] oaep(boolean encrypt, Digest hash, RsaKey key, byte[] label, byte[] data) {
        if (encrypt ? key.publicKey() == null : key.privateKey() == null) {
            throw CryptoException.invalidAccess(encrypt ? "encryption needs a public key" : "decryption needs a private key");
        }
        try {
            Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
            OAEPParameterSpec params = new OAEPParameterSpec(hash.webName, "MGF1", new MGF1ParameterSpec(hash.webName),
                    new PSource.PSpecified(label == null ? new byte[0] : label));
            if (encrypt) {
                cipher.init(Cipher.ENCRYPT_MODE, key.publicKey(), params);
            } else {
                cipher.init(Cipher.DECRYPT_MODE, key.privateKey(), params);
            }
            return cipher.doFinal(data);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw CryptoException.operation(encrypt ? "RSA-OAEP encryption failed" : "RSA-OAEP decryption failed");
        }
    }

    // --- import (§20.8 import key) ---

    private static void checkAlgorithm(Der.KeyInfo info) {
        if (!info.is(Der.OID_RSA)) {
            throw CryptoException.data("the key is not an rsaEncryption key");
        }
        if (info.parameters() != null) {
            info.parameters().nullValue();
            info.parameters().end();
        }
    }

    static RsaKey importSpki(byte[] data) {
        Der.KeyInfo info = Der.parseSpki(data);
        checkAlgorithm(info);
        Der.Reader top = new Der.Reader(info.key());
        Der.Reader seq = top.sequence();
        top.end();
        BigInteger n = seq.positiveInteger();
        BigInteger e = seq.positiveInteger();
        seq.end();
        return publicKey(n, e);
    }

    static RsaKey importPkcs8(byte[] data) {
        Der.KeyInfo info = Der.parsePkcs8(data);
        checkAlgorithm(info);
        Der.Reader top = new Der.Reader(info.key());
        Der.Reader seq = top.sequence();
        top.end();
        BigInteger version = seq.integer();
        if (version.signum() != 0) {
            throw CryptoException.data("multi-prime RSA keys are not supported");
        }
        BigInteger[] v = new BigInteger[8];
        for (int i = 0; i < v.length; i++) {
            v[i] = seq.positiveInteger();
        }
        seq.end();
        return privateKey(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
    }

    static RsaKey publicKey(BigInteger n, BigInteger e) {
        if (n.signum() <= 0 || e.signum() <= 0) {
            throw CryptoException.data("invalid RSA public key");
        }
        try {
            RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
            return new RsaKey(key, null);
        } catch (GeneralSecurityException | IllegalArgumentException ex) {
            throw CryptoException.data("invalid RSA public key: " + ex.getMessage());
        }
    }

    /** A private key from all its CRT components, checked for consistency (RFC 3447 §3.2). */
    static RsaKey privateKey(BigInteger n, BigInteger e, BigInteger d, BigInteger p, BigInteger q,
            BigInteger dp, BigInteger dq, BigInteger qi) {
        boolean valid = n.signum() > 0 && e.signum() > 0 && d.signum() > 0
                && p.compareTo(BigInteger.ONE) > 0 && q.compareTo(BigInteger.ONE) > 0
                && p.multiply(q).equals(n)
                && dp.equals(d.mod(p.subtract(BigInteger.ONE)))
                && dq.equals(d.mod(q.subtract(BigInteger.ONE)))
                && qi.multiply(q).mod(p).equals(BigInteger.ONE);
        if (!valid) {
            throw CryptoException.data("invalid RSA private key");
        }
        try {
            KeyFactory factory = KeyFactory.getInstance("RSA");
            RSAPrivateCrtKey key = (RSAPrivateCrtKey) factory.generatePrivate(
                    new RSAPrivateCrtKeySpec(n, e, d, p, q, dp, dq, qi));
            return new RsaKey(null, key);
        } catch (GeneralSecurityException | IllegalArgumentException ex) {
            throw CryptoException.data("invalid RSA private key: " + ex.getMessage());
        }
    }

    /** From JWK members (base64url, already checked present by JS): public when {@code d} is null. */
    static RsaKey importJwk(String n, String e, String d, String p, String q, String dp, String dq, String qi) {
        if (n == null || e == null) {
            throw CryptoException.data("an RSA JWK needs n and e");
        }
        if (d == null) {
            return publicKey(KeyFormats.jwkInteger(n), KeyFormats.jwkInteger(e));
        }
        if (p == null || q == null || dp == null || dq == null || qi == null) {
            throw CryptoException.data("an RSA private JWK needs p, q, dp, dq and qi");
        }
        return privateKey(KeyFormats.jwkInteger(n), KeyFormats.jwkInteger(e), KeyFormats.jwkInteger(d),
                KeyFormats.jwkInteger(p), KeyFormats.jwkInteger(q), KeyFormats.jwkInteger(dp),
                KeyFormats.jwkInteger(dq), KeyFormats.jwkInteger(qi));
    }

    // --- export (§20.8 export key) ---

    private static byte[] algorithmIdentifier() {
        return Der.sequence(Der.oid(Der.OID_RSA), Der.nullValue());
    }

    static byte[] exportSpki(RsaKey key) {
        if (key.publicKey() == null) {
            throw CryptoException.invalidAccess("spki export needs a public key");
        }
        byte[] rsaPublicKey = Der.sequence(Der.integer(key.modulus()), Der.integer(key.publicExponent()));
        return Der.spki(algorithmIdentifier(), rsaPublicKey);
    }

    static byte[] exportPkcs8(RsaKey key) {
        RSAPrivateCrtKey k = key.privateKey();
        if (k == null) {
            throw CryptoException.invalidAccess("pkcs8 export needs a private key");
        }
        byte[] rsaPrivateKey = Der.sequence(Der.integer(0), Der.integer(k.getModulus()),
                Der.integer(k.getPublicExponent()), Der.integer(k.getPrivateExponent()), Der.integer(k.getPrimeP()),
                Der.integer(k.getPrimeQ()), Der.integer(k.getPrimeExponentP()), Der.integer(k.getPrimeExponentQ()),
                Der.integer(k.getCrtCoefficient()));
        return Der.pkcs8(algorithmIdentifier(), rsaPrivateKey);
    }

    /** The JWK members, base64url, joined by '.': n.e, or n.e.d.p.q.dp.dq.qi for a private key. */
    static String exportJwk(RsaKey key) {
        StringBuilder sb = new StringBuilder();
        sb.append(KeyFormats.jwkInteger(key.modulus())).append('.').append(KeyFormats.jwkInteger(key.publicExponent()));
        RSAPrivateCrtKey k = key.privateKey();
        if (k != null) {
            for (BigInteger v : new BigInteger[] {k.getPrivateExponent(), k.getPrimeP(), k.getPrimeQ(),
                    k.getPrimeExponentP(), k.getPrimeExponentQ(), k.getCrtCoefficient()}) {
                sb.append('.').append(KeyFormats.jwkInteger(v));
            }
        }
        return sb.toString();
    }
}
