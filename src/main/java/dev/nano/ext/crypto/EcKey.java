package dev.nano.ext.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;

/**
 * An ECDSA or ECDH key (WebCrypto §23, §24) on a NIST curve: the public point, and for a private
 * key the scalar too (with its public point, which every export format carries).
 */
final class EcKey implements KeyData {
    final Ec.Curve curve;
    final ECPoint point;
    final BigInteger d;
    private ECPublicKey jcaPublic;
    private ECPrivateKey jcaPrivate;

    EcKey(Ec.Curve curve, ECPoint point, BigInteger d) {
        this.curve = curve;
        this.point = point;
        this.d = d;
    }

    @Override
    public String type() {
        return d != null ? "private" : "public";
    }

    /** The JCA public key; built on first use (the key may be used from a worker thread). */
    synchronized ECPublicKey jcaPublic() {
        if (jcaPublic == null) {
            try {
                jcaPublic = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, curve.spec));
            } catch (GeneralSecurityException e) {
                throw CryptoException.data("invalid EC public key: " + e.getMessage());
            }
        }
        return jcaPublic;
    }

    synchronized ECPrivateKey jcaPrivate() {
        if (jcaPrivate == null) {
            try {
                jcaPrivate = (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(d, curve.spec));
            } catch (GeneralSecurityException e) {
                throw CryptoException.data("invalid EC private key: " + e.getMessage());
            }
        }
        return jcaPrivate;
    }
}
