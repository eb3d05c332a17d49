package dev.nano.ext.crypto;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Base64;

/**
 * Import and export of every key family in the four WebCrypto formats (§14.2 KeyFormat: raw,
 * spki, pkcs8, jwk), dispatching to {@link Rsa}, {@link Ec} and {@link Okp}, plus the codecs the JWK
 * members need (RFC 7515 base64url without padding, RFC 7518 §2 unsigned big-endian integers).
 */
final class KeyFormats {
    /** Format codes passed by JS; must match FORMAT in ext/crypto/03_subtle.js. */
    static final int RAW = 0, SPKI = 1, PKCS8 = 2;

    private KeyFormats() {}

    /** Imports a key of {@code family} ("RSA", "EC", or an OKP curve name) from raw, spki or pkcs8 bytes. */
    static KeyData importBinary(String family, String curve, int format, byte[] data) {
        switch (family) {
            case "RSA":
                if (format == SPKI) {
                    return Rsa.importSpki(data);
                }
                if (format == PKCS8) {
                    return Rsa.importPkcs8(data);
                }
                break;
            case "EC":
                return Ec.importBinary(Ec.Curve.of(curve), format, data);
            case "SECRET":
                if (format == RAW) {
                    return new KeyData.Secret(data.clone());
                }
                break;
            default:
                return Okp.importBinary(Okp.Kind.of(family), format, data);
        }
        throw CryptoException.notSupported("unsupported key format");
    }

    static byte[] exportBinary(KeyData key, int format) {
        switch (key) {
            case KeyData.Secret s -> {
                if (format == RAW) {
                    return s.bytes().clone();
                }
            }
            case RsaKey k -> {
                if (format == SPKI) {
                    return Rsa.exportSpki(k);
                }
                if (format == PKCS8) {
                    return Rsa.exportPkcs8(k);
                }
            }
            case EcKey k -> {
                return Ec.exportBinary(k, format);
            }
            case OkpKey k -> {
                return Okp.exportBinary(k, format);
            }
        }
        throw CryptoException.notSupported("unsupported key format");
    }

    /** The key's JWK members, base64url, joined by '.' (see each family's exportJwk). */
    static String exportJwk(KeyData key) {
        return switch (key) {
            case KeyData.Secret s -> base64Url(s.bytes());
            case RsaKey k -> Rsa.exportJwk(k);
            case EcKey k -> Ec.exportJwk(k);
            case OkpKey k -> Okp.exportJwk(k);
        };
    }

    // --- codecs ---

    static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Decodes a JWK member; anything but base64url (padding tolerated) is a DataError. */
    static byte[] fromBase64Url(String text) {
        try {
            return Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw CryptoException.data("invalid base64url in JWK");
        }
    }

    static BigInteger jwkInteger(String text) {
        byte[] bytes = fromBase64Url(text);
        if (bytes.length == 0) {
            throw CryptoException.data("empty integer in JWK");
        }
        return new BigInteger(1, bytes);
    }

    /** RFC 7518 §2 Base64urlUInt: the minimal big-endian octets (zero is one 0 octet). */
    static String jwkInteger(BigInteger value) {
        return base64Url(unsigned(value));
    }

    static byte[] unsigned(BigInteger value) {
        byte[] b = value.toByteArray();
        return b.length > 1 && b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b;
    }

    /** {@code value} as exactly {@code length} big-endian octets (it must fit). */
    static byte[] fixed(BigInteger value, int length) {
        byte[] b = unsigned(value);
        if (b.length == length) {
            return b;
        }
        if (b.length > length) {
            throw CryptoException.data("integer too large");
        }
        byte[] out = new byte[length];
        System.arraycopy(b, 0, out, length - b.length, b.length);
        return out;
    }
}
