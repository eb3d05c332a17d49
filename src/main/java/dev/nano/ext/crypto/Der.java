package dev.nano.ext.crypto;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * The little DER (ITU-T X.690) that SubjectPublicKeyInfo, PrivateKeyInfo and the RSA/EC key
 * structures need. WebCrypto parses key data with "exactData" (WebCrypto §14.4.2 "parse an ASN.1
 * structure"): any malformed or trailing byte is a DataError, so the reader is strict.
 */
final class Der {
    static final int INTEGER = 0x02, BIT_STRING = 0x03, OCTET_STRING = 0x04, NULL = 0x05, OID = 0x06,
            SEQUENCE = 0x30;

    private Der() {}

    /** Reads the elements of one constructed value (or of the whole input) in order. */
    static final class Reader {
        private final byte[] data;
        private int pos;
        private final int end;

        Reader(byte[] data) {
            this(data, 0, data.length);
        }

        private Reader(byte[] data, int start, int end) {
            this.data = data;
            this.pos = start;
            this.end = end;
        }

        boolean hasMore() {
            return pos < end;
        }

        int peekTag() {
            return pos < end ? data[pos] & 0xff : -1;
        }

        /** The contents of the next element, which must have {@code tag}. */
        private Reader next(int tag) {
            if (pos >= end || (data[pos] & 0xff) != tag) {
                throw CryptoException.data("malformed key data (expected tag " + tag + ")");
            }
            pos++;
            if (pos >= end) {
                throw CryptoException.data("truncated key data");
            }
            int first = data[pos++] & 0xff;
            int length;
            if (first < 0x80) {
                length = first;
            } else {
                int count = first & 0x7f;
                if (count == 0 || count > 3 || pos + count > end) {
                    throw CryptoException.data("malformed key data (length)");
                }
                length = 0;
                for (int i = 0; i < count; i++) {
                    length = (length << 8) | (data[pos++] & 0xff);
                }
                if (length < 0x80 || (count > 1 && length < (1 << (8 * (count - 1))))) {
                    throw CryptoException.data("malformed key data (non-minimal length)");
                }
            }
            if (length > end - pos) {
                throw CryptoException.data("truncated key data");
            }
            Reader contents = new Reader(data, pos, pos + length);
            pos += length;
            return contents;
        }

        private byte[] bytes() {
            return Arrays.copyOfRange(data, pos, end);
        }

        Reader sequence() {
            return next(SEQUENCE);
        }

        /** A context-specific constructed element {@code [n]}. */
        Reader explicit(int n) {
            return next(0xa0 | n);
        }

        /** A context-specific primitive element {@code [n] IMPLICIT}. */
        byte[] implicit(int n) {
            return next(0x80 | n).bytes();
        }

        BigInteger integer() {
            byte[] b = next(INTEGER).bytes();
            if (b.length == 0 || (b.length > 1 && ((b[0] == 0 && b[1] >= 0) || (b[0] == -1 && b[1] < 0)))) {
                throw CryptoException.data("malformed key data (integer)");
            }
            return new BigInteger(b);
        }

        /** A non-negative INTEGER, e.g. an RSA key component. */
        BigInteger positiveInteger() {
            BigInteger v = integer();
            if (v.signum() < 0) {
                throw CryptoException.data("malformed key data (negative integer)");
            }
            return v;
        }

        byte[] octetString() {
            return next(OCTET_STRING).bytes();
        }

        /** A BIT STRING of whole bytes (no unused bits), as the key encodings use. */
        byte[] bitString() {
            Reader r = next(BIT_STRING);
            if (!r.hasMore() || r.data[r.pos] != 0) {
                throw CryptoException.data("malformed key data (bit string)");
            }
            r.pos++;
            return r.bytes();
        }

        /** An OBJECT IDENTIFIER's content octets (compared with the constants below). */
        byte[] oid() {
            byte[] b = next(OID).bytes();
            if (b.length == 0) {
                throw CryptoException.data("malformed key data (oid)");
            }
            return b;
        }

        void nullValue() {
            if (next(NULL).hasMore()) {
                throw CryptoException.data("malformed key data (null)");
            }
        }

        /** Skips one element of any tag. */
        void skip() {
            if (pos >= end) {
                throw CryptoException.data("truncated key data");
            }
            next(data[pos] & 0xff);
        }

        void end() {
            if (pos != end) {
                throw CryptoException.data("trailing data after the key structure");
            }
        }
    }

    // Writers: each returns one whole encoded element.

    static byte[] tlv(int tag, byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 6);
        out.write(tag);
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else if (length < 0x10000) {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length);
        } else {
            out.write(0x83);
            out.write(length >> 16);
            out.write(length >> 8);
            out.write(length);
        }
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] sequence(byte[]... parts) {
        return tlv(SEQUENCE, parts);
    }

    static byte[] integer(BigInteger v) {
        return tlv(INTEGER, v.toByteArray());
    }

    static byte[] integer(int v) {
        return integer(BigInteger.valueOf(v));
    }

    static byte[] octetString(byte[] v) {
        return tlv(OCTET_STRING, v);
    }

    static byte[] bitString(byte[] v) {
        return tlv(BIT_STRING, new byte[] {0}, v);
    }

    static byte[] oid(byte[] content) {
        return tlv(OID, content);
    }

    static byte[] nullValue() {
        return new byte[] {NULL, 0};
    }

    /** SubjectPublicKeyInfo (RFC 5280 §4.1.2.7). */
    static byte[] spki(byte[] algorithmIdentifier, byte[] publicKey) {
        return sequence(algorithmIdentifier, bitString(publicKey));
    }

    /** PrivateKeyInfo, version 0 (RFC 5208 §5). */
    static byte[] pkcs8(byte[] algorithmIdentifier, byte[] privateKey) {
        return sequence(integer(0), algorithmIdentifier, octetString(privateKey));
    }

    /** The content octets of a dotted OID, e.g. {@code oidBytes(1, 2, 840, 10045, 2, 1)}. */
    static byte[] oidBytes(long... arcs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((int) (arcs[0] * 40 + arcs[1]));
        for (int i = 2; i < arcs.length; i++) {
            long v = arcs[i];
            int shift = 63 - Long.numberOfLeadingZeros(v | 1);
            shift -= shift % 7;
            for (; shift > 0; shift -= 7) {
                out.write((int) (0x80 | ((v >> shift) & 0x7f)));
            }
            out.write((int) (v & 0x7f));
        }
        return out.toByteArray();
    }

    static final byte[] OID_RSA = oidBytes(1, 2, 840, 113549, 1, 1, 1);
    static final byte[] OID_EC_PUBLIC_KEY = oidBytes(1, 2, 840, 10045, 2, 1);
    static final byte[] OID_P256 = oidBytes(1, 2, 840, 10045, 3, 1, 7);
    static final byte[] OID_P384 = oidBytes(1, 3, 132, 0, 34);
    static final byte[] OID_P521 = oidBytes(1, 3, 132, 0, 35);
    static final byte[] OID_X25519 = oidBytes(1, 3, 101, 110);
    static final byte[] OID_X448 = oidBytes(1, 3, 101, 111);
    static final byte[] OID_ED25519 = oidBytes(1, 3, 101, 112);
    static final byte[] OID_ED448 = oidBytes(1, 3, 101, 113);

    /** A parsed SubjectPublicKeyInfo or PrivateKeyInfo: the algorithm and the key bytes inside. */
    record KeyInfo(byte[] algorithm, Reader parameters, byte[] key) {
        boolean is(byte[] oid) {
            return Arrays.equals(algorithm, oid);
        }
    }

    /** SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }. */
    static KeyInfo parseSpki(byte[] data) {
        Reader top = new Reader(data);
        Reader spki = top.sequence();
        top.end();
        Reader algId = spki.sequence();
        byte[] oid = algId.oid();
        Reader params = algId.hasMore() ? algId : null;
        byte[] key = spki.bitString();
        spki.end();
        return new KeyInfo(oid, params, key);
    }

    /**
     * PrivateKeyInfo / OneAsymmetricKey (RFC 5958): version 0 or 1, the algorithm, the privateKey
     * octets; optional attributes [0] and publicKey [1] are accepted and ignored.
     */
    static KeyInfo parsePkcs8(byte[] data) {
        Reader top = new Reader(data);
        Reader info = top.sequence();
        top.end();
        BigInteger version = info.integer();
        if (version.signum() < 0 || version.compareTo(BigInteger.ONE) > 0) {
            throw CryptoException.data("unsupported PrivateKeyInfo version");
        }
        Reader algId = info.sequence();
        byte[] oid = algId.oid();
        Reader params = algId.hasMore() ? algId : null;
        byte[] key = info.octetString();
        if (info.peekTag() == 0xa0) {
            info.skip();
        }
        if (info.peekTag() == 0x81 || info.peekTag() == 0xa1) {
            info.skip();
        }
        info.end();
        return new KeyInfo(oid, params, key);
    }
}
