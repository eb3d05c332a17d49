package dev.nano.ext.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;

/**
 * An Ed25519, Ed448, X25519 or X448 key (WebCrypto §25-28, CFRG curves): the raw public key
 * (RFC 8032 / RFC 7748 encoding), and for a private key the raw private key too.
 */
final class OkpKey implements KeyData {
    final Okp.Kind kind;
    final byte[] publicBytes;
    final byte[] privateBytes;
    private PublicKey jcaPublic;
    private PrivateKey jcaPrivate;

    OkpKey(Okp.Kind kind, byte[] publicBytes, byte[] privateBytes) {
        this.kind = kind;
        this.publicBytes = publicBytes;
        this.privateBytes = privateBytes;
    }

    @Override
    public String type() {
        return privateBytes != null ? "private" : "public";
    }

    synchronized PublicKey jcaPublic() throws GeneralSecurityException {
        if (jcaPublic == null) {
            jcaPublic = KeyFactory.getInstance(kind.jcaName)
                    .generatePublic(new X509EncodedKeySpec(Okp.spki(kind, publicBytes)));
        }
        return jcaPublic;
    }

    synchronized PrivateKey jcaPrivate() throws GeneralSecurityException {
        if (jcaPrivate == null) {
            jcaPrivate = KeyFactory.getInstance(kind.jcaName)
                    .generatePrivate(new PKCS8EncodedKeySpec(Okp.pkcs8(kind, privateBytes)));
        }
        return jcaPrivate;
    }
}
