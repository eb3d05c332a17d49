package dev.nano.ext.crypto;

import java.math.BigInteger;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;

/** An RSA key (WebCrypto §20-22): the public key, or the private key with its CRT parameters. */
record RsaKey(RSAPublicKey publicKey, RSAPrivateCrtKey privateKey) implements KeyData {
    @Override
    public String type() {
        return privateKey != null ? "private" : "public";
    }

    BigInteger modulus() {
        return privateKey != null ? privateKey.getModulus() : publicKey.getModulus();
    }

    BigInteger publicExponent() {
        return privateKey != null ? privateKey.getPublicExponent() : publicKey.getPublicExponent();
    }
}
