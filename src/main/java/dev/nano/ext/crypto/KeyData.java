package dev.nano.ext.crypto;

/**
 * The key material behind one CryptoKey handle: what Java holds while JS holds the CryptoKey's
 * [[type]], [[extractable]], [[algorithm]] and [[usages]] (WebCrypto §13.3). Immutable once made,
 * so that two handles (a structured clone) may share one.
 */
sealed interface KeyData permits KeyData.Secret, RsaKey, EcKey, OkpKey {
    /** "secret", "public" or "private" (WebCrypto §13.2 KeyType). */
    String type();

    /** A secret key's bytes (AES, HMAC, HKDF, PBKDF2). */
    record Secret(byte[] bytes) implements KeyData {
        @Override
        public String type() {
            return "secret";
        }
    }
}
