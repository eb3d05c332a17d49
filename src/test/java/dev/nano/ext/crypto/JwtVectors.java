package dev.nano.ext.crypto;

/**
 * Fixed JWT test vectors (RS256, ES256, EdDSA): key pairs as PEM PKCS#8 / SPKI and as JWK, and a
 * token signed with the private key. {@link #NODE} was made with Node 20's crypto.subtle,
 * {@link #NANO} with NANO's; each set was checked with the other runtime when it was made (Node
 * verified NANO's tokens and re-signed them byte for byte for RS256 and EdDSA, and exported NANO's
 * JWK private keys to the same PKCS#8 bytes).
 */
final class JwtVectors {
    private JwtVectors() {}

    static final String NODE = """
            {
             "RS256": {
              "pkcs8": "-----BEGIN PRIVATE KEY-----\\nMIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQCywnrfdrg6Sb8w\\njPHHGd9CVDkWhp8fq9DJgCdpTh2j49yKHFMO2j4RLLtWMeZPgr547Ap2VQKvJYji\\nIqKg/gsG+KiY2yYtrH9WrCEQTVG4VH8dxTaMxGhKI11SHsJDPK8/ty/18Xr9cx4B\\nLEw6kTfFG6ELy5HZTTszPlRI3xKwVNBorNbITRCGGY5Pwd6I1xKN00VTCP+L8lYN\\nQWjpKGb4igKprlck8HnVqKZklHegIv6zOBzylqYTNsRp3URPg2LCZWsUlS23IekA\\nQ7xjeGWfDdwt0bEe9Izgk2Qs9p+qPcgPARVpmgWdNJUvrzqbJ5iwxq1FJhg++pZ8\\nBpCMvl2pAgMBAAECggEASG1+7nLCMy+1LN02ixai/FN2q/dQmrr5ReNMVKDnZoOI\\n1FakmoR3mGrY3pQqPjX5qbHtjUNlaoSZQRKKdRNpcWInoYNNpTzafUoRvXKudTKb\\nLHs+3msn3D4W7hJzYF3CndzBrHMyg2V0l0IVArfa8lx+9HH/Pp3JqjoLWVk0z8do\\nLBifOTUV9JcHgArhFSavoyxWdoyWvMLtvI3ZyZPDHeBzAnZxIlk2MesOJzqFJT+R\\n2JAcn6kkcX+TFWY2dDVvbBUoC8XXChELUK/tp2PItx6kICkw5uRTWNKSuRk/kSWX\\n3SWq4Xt+8FusX/0swowOMKkoe0KWQQ7RpJftfoBMHwKBgQDX064EgJhieIVorcU8\\n1Rzsl7cTy1yZEHBvP7QLE2S8eOd8b29V++gDXxL0erKXJOWEbXiqVFW3S4elWz8Z\\n7DOgoryxsY3ext52a/INKpOWZSVeKIic9VPB2AzZTzIb19Y8hVsXN5gQT34PLG6x\\ncoZO8pACQnd0KrPgDg2FoF0irwKBgQDUCIUGUFJf75OJ6/LCFemVaChVu5Hp+e/Q\\nFZQhlHr7NgGuZbF/xEvwZ7JfBeqbog/hSMo6ssCioUFVqdpcK2er25kpmR17+N3/\\nVGSE/y3WoGR42Gsditv9psgsKrAc+ARXB+y/UhgDN4EJzDACRAbGkkz3UHRslHOT\\nHaJomFx7JwKBgQC1oi3HGDomVOthZyygv3FyI1Qt0m2BW3ZkCaaJ065pdw7JiDaY\\nlEFz5OVc3o3B6YlG46IzJnpkoansnVgDhucD/zDyEk0k+RRrcPjp37UJUuIZ1d7y\\nyPvOHPbjQ2UWTZS8pjY82cqdn2ileG1H5OvnMPfFDw7csrtiijETDhyTfQKBgFmG\\nS1xSF6XICvxl8ja+d8SMmNMyAjbPP9EU+1l+Trq4n9cZuuseX43eyrJSVi9mKtxN\\nFo3YIXvJKEPaFodqEDjA3Jdyvb81Yc5HvLVm5NzFFgbsIbX0hlQ/0i7Ly1Y/5d01\\nTGGvcNIS4lnXq8GZJV88MGEPyEh8GZxZG9Sb2BhrAoGBAMnw1/5tG6qPyGa4KrY5\\n23jVHq0f3b7u51bp7eAntDs/nNcY+itCGJ9NjxRM22IpZyzq/aX0PG0m8ec3Ko+8\\nNBVJE19+epaQn8hhD/2LorDZQdKWOTKHxW57/nRYMsXj/ei2Lusoo+P/v0s0i8LV\\nwqNczh4eI4Zvxvk+ku7Q8Gl4\\n-----END PRIVATE KEY-----",
              "spki": "-----BEGIN PUBLIC KEY-----\\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAssJ633a4Okm/MIzxxxnf\\nQlQ5FoafH6vQyYAnaU4do+PcihxTDto+ESy7VjHmT4K+eOwKdlUCryWI4iKioP4L\\nBviomNsmLax/VqwhEE1RuFR/HcU2jMRoSiNdUh7CQzyvP7cv9fF6/XMeASxMOpE3\\nxRuhC8uR2U07Mz5USN8SsFTQaKzWyE0QhhmOT8HeiNcSjdNFUwj/i/JWDUFo6Shm\\n+IoCqa5XJPB51aimZJR3oCL+szgc8pamEzbEad1ET4NiwmVrFJUttyHpAEO8Y3hl\\nnw3cLdGxHvSM4JNkLPafqj3IDwEVaZoFnTSVL686myeYsMatRSYYPvqWfAaQjL5d\\nqQIDAQAB\\n-----END PUBLIC KEY-----",
              "jwkPrivate": {
               "key_ops": [
                "sign"
               ],
               "ext": true,
               "kty": "RSA",
               "n": "ssJ633a4Okm_MIzxxxnfQlQ5FoafH6vQyYAnaU4do-PcihxTDto-ESy7VjHmT4K-eOwKdlUCryWI4iKioP4LBviomNsmLax_VqwhEE1RuFR_HcU2jMRoSiNdUh7CQzyvP7cv9fF6_XMeASxMOpE3xRuhC8uR2U07Mz5USN8SsFTQaKzWyE0QhhmOT8HeiNcSjdNFUwj_i_JWDUFo6Shm-IoCqa5XJPB51aimZJR3oCL-szgc8pamEzbEad1ET4NiwmVrFJUttyHpAEO8Y3hlnw3cLdGxHvSM4JNkLPafqj3IDwEVaZoFnTSVL686myeYsMatRSYYPvqWfAaQjL5dqQ",
               "e": "AQAB",
               "d": "SG1-7nLCMy-1LN02ixai_FN2q_dQmrr5ReNMVKDnZoOI1FakmoR3mGrY3pQqPjX5qbHtjUNlaoSZQRKKdRNpcWInoYNNpTzafUoRvXKudTKbLHs-3msn3D4W7hJzYF3CndzBrHMyg2V0l0IVArfa8lx-9HH_Pp3JqjoLWVk0z8doLBifOTUV9JcHgArhFSavoyxWdoyWvMLtvI3ZyZPDHeBzAnZxIlk2MesOJzqFJT-R2JAcn6kkcX-TFWY2dDVvbBUoC8XXChELUK_tp2PItx6kICkw5uRTWNKSuRk_kSWX3SWq4Xt-8FusX_0swowOMKkoe0KWQQ7RpJftfoBMHw",
               "p": "19OuBICYYniFaK3FPNUc7Je3E8tcmRBwbz-0CxNkvHjnfG9vVfvoA18S9HqylyTlhG14qlRVt0uHpVs_GewzoKK8sbGN3sbedmvyDSqTlmUlXiiInPVTwdgM2U8yG9fWPIVbFzeYEE9-DyxusXKGTvKQAkJ3dCqz4A4NhaBdIq8",
               "q": "1AiFBlBSX--TievywhXplWgoVbuR6fnv0BWUIZR6-zYBrmWxf8RL8GeyXwXqm6IP4UjKOrLAoqFBVanaXCtnq9uZKZkde_jd_1RkhP8t1qBkeNhrHYrb_abILCqwHPgEVwfsv1IYAzeBCcwwAkQGxpJM91B0bJRzkx2iaJhceyc",
               "dp": "taItxxg6JlTrYWcsoL9xciNULdJtgVt2ZAmmidOuaXcOyYg2mJRBc-TlXN6NwemJRuOiMyZ6ZKGp7J1YA4bnA_8w8hJNJPkUa3D46d-1CVLiGdXe8sj7zhz240NlFk2UvKY2PNnKnZ9opXhtR-Tr5zD3xQ8O3LK7YooxEw4ck30",
               "dq": "WYZLXFIXpcgK_GXyNr53xIyY0zICNs8_0RT7WX5Ourif1xm66x5fjd7KslJWL2Yq3E0Wjdghe8koQ9oWh2oQOMDcl3K9vzVhzke8tWbk3MUWBuwhtfSGVD_SLsvLVj_l3TVMYa9w0hLiWderwZklXzwwYQ_ISHwZnFkb1JvYGGs",
               "qi": "yfDX_m0bqo_IZrgqtjnbeNUerR_dvu7nVunt4Ce0Oz-c1xj6K0IYn02PFEzbYilnLOr9pfQ8bSbx5zcqj7w0FUkTX356lpCfyGEP_YuisNlB0pY5MofFbnv-dFgyxeP96LYu6yij4_-_SzSLwtXCo1zOHh4jhm_G-T6S7tDwaXg",
               "alg": "RS256"
              },
              "jwkPublic": {
               "key_ops": [
                "verify"
               ],
               "ext": true,
               "kty": "RSA",
               "n": "ssJ633a4Okm_MIzxxxnfQlQ5FoafH6vQyYAnaU4do-PcihxTDto-ESy7VjHmT4K-eOwKdlUCryWI4iKioP4LBviomNsmLax_VqwhEE1RuFR_HcU2jMRoSiNdUh7CQzyvP7cv9fF6_XMeASxMOpE3xRuhC8uR2U07Mz5USN8SsFTQaKzWyE0QhhmOT8HeiNcSjdNFUwj_i_JWDUFo6Shm-IoCqa5XJPB51aimZJR3oCL-szgc8pamEzbEad1ET4NiwmVrFJUttyHpAEO8Y3hlnw3cLdGxHvSM4JNkLPafqj3IDwEVaZoFnTSVL686myeYsMatRSYYPvqWfAaQjL5dqQ",
               "e": "AQAB",
               "alg": "RS256"
              },
              "jwt": "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6Ik5BTk8iLCJpYXQiOjE3MDAwMDAwMDB9.ih61qQW37vAWC5ZBiEewel_zQZeEOTLOXENyB4w7aiXl6H88ys6asGB3t4Pyep7bF6RIJUTvFrY6L5xRTj3iDKdbEprb-JguIri6aMo9vfltJxKAWknk6DMKxKF-lUhJ8ceyePnLLobRph1SCWi3ODCDZ3lZe68XdK7c_K0sFaTkh1MF88iOZ7TfuyzwPcqDwpHMuw_ch4Ll-Z-GsMdx2Z8g6w3k8gGFSGCUyJwP8K9xzMq4NVa2Wz4gR7-SPY3qzO35MfJjHn8qM21hSZNKMyJvqSFn5gYj3UKLcPPvTkmed_vap2LJ10nuPzDxHStOG-KjfWTVo1LhjbKKVe3mvw"
             },
             "ES256": {
              "pkcs8": "-----BEGIN PRIVATE KEY-----\\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgmcFKfEt6RYH2qqHd\\nNozxdn9anzvTpT7kQrLwCoZNg8uhRANCAASVsPFk/vcSR5kWrwG5uQe0Ar8R3WnT\\nclQszU4A964uzm/1sgHG+pOKjYijXq5zeEhewIBkJVKrPrSbwBkMdbBn\\n-----END PRIVATE KEY-----",
              "spki": "-----BEGIN PUBLIC KEY-----\\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAElbDxZP73EkeZFq8BubkHtAK/Ed1p\\n03JULM1OAPeuLs5v9bIBxvqTio2Io16uc3hIXsCAZCVSqz60m8AZDHWwZw==\\n-----END PUBLIC KEY-----",
              "jwkPrivate": {
               "key_ops": [
                "sign"
               ],
               "ext": true,
               "kty": "EC",
               "x": "lbDxZP73EkeZFq8BubkHtAK_Ed1p03JULM1OAPeuLs4",
               "y": "b_WyAcb6k4qNiKNernN4SF7AgGQlUqs-tJvAGQx1sGc",
               "crv": "P-256",
               "d": "mcFKfEt6RYH2qqHdNozxdn9anzvTpT7kQrLwCoZNg8s"
              },
              "jwkPublic": {
               "key_ops": [
                "verify"
               ],
               "ext": true,
               "kty": "EC",
               "x": "lbDxZP73EkeZFq8BubkHtAK_Ed1p03JULM1OAPeuLs4",
               "y": "b_WyAcb6k4qNiKNernN4SF7AgGQlUqs-tJvAGQx1sGc",
               "crv": "P-256"
              },
              "jwt": "eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6Ik5BTk8iLCJpYXQiOjE3MDAwMDAwMDB9.ltUkykn_-UpgBlq9XFecLL8oAGTIO8tobDoTXj6ZLAbtPjUfZI6cMi8pRND6sRO1fZUmIKJgw9gcjkIh00pJHA"
             },
             "EdDSA": {
              "pkcs8": "-----BEGIN PRIVATE KEY-----\\nMC4CAQAwBQYDK2VwBCIEIHgtdGWhLw9nPkYeMhrZ7qIYK+qPJIkhgjblRnnoATco\\n-----END PRIVATE KEY-----",
              "spki": "-----BEGIN PUBLIC KEY-----\\nMCowBQYDK2VwAyEAbPuF6d+wLLdbx5Zr5TcC+OZoi5xJ+BhOv55g9KmW0bk=\\n-----END PUBLIC KEY-----",
              "jwkPrivate": {
               "key_ops": [
                "sign"
               ],
               "ext": true,
               "crv": "Ed25519",
               "d": "eC10ZaEvD2c-Rh4yGtnuohgr6o8kiSGCNuVGeegBNyg",
               "x": "bPuF6d-wLLdbx5Zr5TcC-OZoi5xJ-BhOv55g9KmW0bk",
               "kty": "OKP",
               "alg": "Ed25519"
              },
              "jwkPublic": {
               "key_ops": [
                "verify"
               ],
               "ext": true,
               "crv": "Ed25519",
               "x": "bPuF6d-wLLdbx5Zr5TcC-OZoi5xJ-BhOv55g9KmW0bk",
               "kty": "OKP",
               "alg": "Ed25519"
              },
              "jwt": "eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6Ik5BTk8iLCJpYXQiOjE3MDAwMDAwMDB9.Ku8v5W2wGlW_DmsCUPvTDXou-Zgf87DSwBwE9RVmGWXmC0p7JxxYtkeuryak9WSbo5qK8uPwW7jiFNdigjRcCg"
             }
            }
            """;

    static final String NANO = """
            {
             "RS256": {
              "pkcs8": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCwqGoODmrPzult\\nc1iMHVhVcjI1l5mxdMH4FWVYP+5pMqzwO00qpf/uESjvyWIsFvf7ynoOLvsTwem0\\nZcXwGDADByoHVJpl9xT0MDb19xQ90Hht5b1KTH8i0kqAxPPpE3r3BrKxrT81Vt/s\\n29dC8Rbi2pPJEvIPtthf//s/BVY5v0Ykp+BvKblLFYfIbvFt7SLpzEab6odjAZrf\\n48Oi1TTATpPraiy1EZl/w7bu4ELOosj/M6eae4kMTSVbWLjQAyrNdn0C0jcCuFNy\\nQZ8XwoDH/UC8kqqyhnsBVzN1ZTpJ1Qz/vaJ6BNADCxo0lXSPd/HLjldD+mbt2QAk\\n4uUVoqt7AgMBAAECggEAAoMFLa78diOfLmG3TsK0uKj3gss63GA9ySJmFFOltv7e\\noPR5kT4r/egQ43FDFpUQW0Gn659fuDUHzCYC+E93u0tKSIa7l/COmTboSSYFYShK\\nK2cwAlLvydXLSQ/D12ViAwooLJ47Ka3TCuyd9RiKy+3yBP1ieLZlAYnDukPVU9vY\\nz0JxVYhK8NGqHspV9ypsvzLKn9ZkulTJAFdhssKHnzuThM2mfQBgY3u20xmxwAs2\\njn+WSqgq5xQBMy+4vk2Jc1F/rj33OECvEYGXjgxJDXvg2e92VN4KNrZO04beqJ2w\\noxracdpN2ERO7x1DUBLg8pXavzQrZe+gyMZEoDYWQQKBgQDFhX3Y0yrGpC1lLAwK\\nyeRQdKNWhXf1MYZE3hTOXrSHe35uDeSOuDW7ivH35tC2KyjvmsQMBDiezaBusqwV\\nbtqEQo8B0LG8U7yClu/qszbAS1UNpzFTFui+lGrqsyhAb8FWnyoUBYtsApXW7vF+\\nxS+jh1HXXrvFaHncPJ896zg0QQKBgQDk9aJJ6sMQkQl8RqNBEkao5Orl7uHFmN4C\\nUV/GM/5SlR3H5Vna+zOsLXn6VPqqVdRvkHHFjZ5iARHUDEjXBYGL+scnv/u42Wji\\nzJPCgLQb8WOnksC8kjgcSCY9uTW8gAIPcfp5VgCvcNNBge9NG1H2Cw5Mx7wEEsHj\\n1L6HfHSAuwKBgDUWMcKqzp5g1cqRUhM8O97b2mKQsLL3woyT26ezkHWxXUOa/EjX\\nfamQKIRmRsYPR4tOX06Te9xCi9H0t4dzKcvOT70/J+Xj45B9nLHJxPddx9hJjVo1\\nmAxQu4Ok7zaSUrZDRP3ol5ZKA5em1MUrnignYHmv/muKLuZgbLQpmguBAoGBAMCu\\nmwobwFdDx7jHdYJAkCh4pdolQ+lXsZY/xxr1DJWRGkPslsb72kuO5fUu6NjKbIIL\\nDEQV33FYtxk90VrrLk+QF2QzY/L3PBaJ1du9FlXhulz+2qaXYxMiANS29isRiypW\\nYFUWdHMwvwiFAc9hK4OlYD5rZKYE5xkGI+W/bggbAoGANi0OxaSbvoX1dIBKkCK7\\n/pR+OHy+hoCY8OEiEHz315i0yckWKdm6AtsSiamKy+OUNgqOShEcaesarWTil4jM\\ngsMU8M3AGUc07dIu5+wKJ9MALAjPr4/6qizHk72tq5IuYMwBTIaO8GqI36JM4Hc3\\nfTzTjs2l7Os8Mv7Ps2FYh/Q=\\n-----END PRIVATE KEY-----",
              "spki": "-----BEGIN PUBLIC KEY-----\\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAsKhqDg5qz87pbXNYjB1Y\\nVXIyNZeZsXTB+BVlWD/uaTKs8DtNKqX/7hEo78liLBb3+8p6Di77E8HptGXF8Bgw\\nAwcqB1SaZfcU9DA29fcUPdB4beW9Skx/ItJKgMTz6RN69waysa0/NVbf7NvXQvEW\\n4tqTyRLyD7bYX//7PwVWOb9GJKfgbym5SxWHyG7xbe0i6cxGm+qHYwGa3+PDotU0\\nwE6T62ostRGZf8O27uBCzqLI/zOnmnuJDE0lW1i40AMqzXZ9AtI3ArhTckGfF8KA\\nx/1AvJKqsoZ7AVczdWU6SdUM/72iegTQAwsaNJV0j3fxy45XQ/pm7dkAJOLlFaKr\\newIDAQAB\\n-----END PUBLIC KEY-----",
              "jwkPrivate": {
               "alg": "RS256",
               "d": "AoMFLa78diOfLmG3TsK0uKj3gss63GA9ySJmFFOltv7eoPR5kT4r_egQ43FDFpUQW0Gn659fuDUHzCYC-E93u0tKSIa7l_COmTboSSYFYShKK2cwAlLvydXLSQ_D12ViAwooLJ47Ka3TCuyd9RiKy-3yBP1ieLZlAYnDukPVU9vYz0JxVYhK8NGqHspV9ypsvzLKn9ZkulTJAFdhssKHnzuThM2mfQBgY3u20xmxwAs2jn-WSqgq5xQBMy-4vk2Jc1F_rj33OECvEYGXjgxJDXvg2e92VN4KNrZO04beqJ2woxracdpN2ERO7x1DUBLg8pXavzQrZe-gyMZEoDYWQQ",
               "dp": "NRYxwqrOnmDVypFSEzw73tvaYpCwsvfCjJPbp7OQdbFdQ5r8SNd9qZAohGZGxg9Hi05fTpN73EKL0fS3h3Mpy85PvT8n5ePjkH2cscnE913H2EmNWjWYDFC7g6TvNpJStkNE_eiXlkoDl6bUxSueKCdgea_-a4ou5mBstCmaC4E",
               "dq": "wK6bChvAV0PHuMd1gkCQKHil2iVD6Vexlj_HGvUMlZEaQ-yWxvvaS47l9S7o2MpsggsMRBXfcVi3GT3RWusuT5AXZDNj8vc8FonV270WVeG6XP7appdjEyIA1Lb2KxGLKlZgVRZ0czC_CIUBz2Erg6VgPmtkpgTnGQYj5b9uCBs",
               "e": "AQAB",
               "ext": true,
               "key_ops": [
                "sign"
               ],
               "kty": "RSA",
               "n": "sKhqDg5qz87pbXNYjB1YVXIyNZeZsXTB-BVlWD_uaTKs8DtNKqX_7hEo78liLBb3-8p6Di77E8HptGXF8BgwAwcqB1SaZfcU9DA29fcUPdB4beW9Skx_ItJKgMTz6RN69waysa0_NVbf7NvXQvEW4tqTyRLyD7bYX__7PwVWOb9GJKfgbym5SxWHyG7xbe0i6cxGm-qHYwGa3-PDotU0wE6T62ostRGZf8O27uBCzqLI_zOnmnuJDE0lW1i40AMqzXZ9AtI3ArhTckGfF8KAx_1AvJKqsoZ7AVczdWU6SdUM_72iegTQAwsaNJV0j3fxy45XQ_pm7dkAJOLlFaKrew",
               "p": "xYV92NMqxqQtZSwMCsnkUHSjVoV39TGGRN4Uzl60h3t-bg3kjrg1u4rx9-bQtiso75rEDAQ4ns2gbrKsFW7ahEKPAdCxvFO8gpbv6rM2wEtVDacxUxbovpRq6rMoQG_BVp8qFAWLbAKV1u7xfsUvo4dR1167xWh53DyfPes4NEE",
               "q": "5PWiSerDEJEJfEajQRJGqOTq5e7hxZjeAlFfxjP-UpUdx-VZ2vszrC15-lT6qlXUb5BxxY2eYgER1AxI1wWBi_rHJ7_7uNlo4syTwoC0G_Fjp5LAvJI4HEgmPbk1vIACD3H6eVYAr3DTQYHvTRtR9gsOTMe8BBLB49S-h3x0gLs",
               "qi": "Ni0OxaSbvoX1dIBKkCK7_pR-OHy-hoCY8OEiEHz315i0yckWKdm6AtsSiamKy-OUNgqOShEcaesarWTil4jMgsMU8M3AGUc07dIu5-wKJ9MALAjPr4_6qizHk72tq5IuYMwBTIaO8GqI36JM4Hc3fTzTjs2l7Os8Mv7Ps2FYh_Q"
              },
              "jwkPublic": {
               "alg": "RS256",
               "e": "AQAB",
               "ext": true,
               "key_ops": [
                "verify"
               ],
               "kty": "RSA",
               "n": "sKhqDg5qz87pbXNYjB1YVXIyNZeZsXTB-BVlWD_uaTKs8DtNKqX_7hEo78liLBb3-8p6Di77E8HptGXF8BgwAwcqB1SaZfcU9DA29fcUPdB4beW9Skx_ItJKgMTz6RN69waysa0_NVbf7NvXQvEW4tqTyRLyD7bYX__7PwVWOb9GJKfgbym5SxWHyG7xbe0i6cxGm-qHYwGa3-PDotU0wE6T62ostRGZf8O27uBCzqLI_zOnmnuJDE0lW1i40AMqzXZ9AtI3ArhTckGfF8KAx_1AvJKqsoZ7AVczdWU6SdUM_72iegTQAwsaNJV0j3fxy45XQ_pm7dkAJOLlFaKrew"
              },
              "jwt": "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJuYW5vIiwiaWF0IjoxNzAwMDAwMDAxfQ.Z9SHmcR0WY6bVIDsbIOu0Co8R2U55gVuGtZfIEEfYbJ3E7Wxki0YSpZCg0BKxm7X6g-T3_pM7vk1atrGOn_0AvVjvxqgez8G2YDpdlt-kOJ41YbQlrHxHvuTQrulr-rB9Rz2yz3VWkrFCy1aRYUgmJAkcIvDKVmUEeY4dKndFr9LEwrmRstxNG0TYdIUr-1SzlS8RK00eTcSZpjgWNLJT5pdAT-rcWLKjsfepafxKuX3TVm4OrbKLWiYJ8BKJ0-6Dqvd-O5uNJwNAjyOT2j0PkITYVPDakWdjm5as2-gp07ebcUr8DXOz1PYxTEhViZKUPEgxroSIhAL6Bd6fF_4Fg"
             },
             "ES256": {
              "pkcs8": "-----BEGIN PRIVATE KEY-----\\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgqiu8zTSmEdsTJeGl\\ny3jOHpb8ChmVaqNJls20lGnA6sahRANCAATc46CwLGAwz8h1MT0GsopT9YuE5CTD\\nXPXrSxGUF2svpg3a+9J2SoybRATM3fE7+DaiyqWYqbqAGpIiLImE++mK\\n-----END PRIVATE KEY-----",
              "spki": "-----BEGIN PUBLIC KEY-----\\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE3OOgsCxgMM/IdTE9BrKKU/WLhOQk\\nw1z160sRlBdrL6YN2vvSdkqMm0QEzN3xO/g2osqlmKm6gBqSIiyJhPvpig==\\n-----END PUBLIC KEY-----",
              "jwkPrivate": {
               "crv": "P-256",
               "d": "qiu8zTSmEdsTJeGly3jOHpb8ChmVaqNJls20lGnA6sY",
               "ext": true,
               "key_ops": [
                "sign"
               ],
               "kty": "EC",
               "x": "3OOgsCxgMM_IdTE9BrKKU_WLhOQkw1z160sRlBdrL6Y",
               "y": "Ddr70nZKjJtEBMzd8Tv4NqLKpZipuoAakiIsiYT76Yo"
              },
              "jwkPublic": {
               "crv": "P-256",
               "ext": true,
               "key_ops": [
                "verify"
               ],
               "kty": "EC",
               "x": "3OOgsCxgMM_IdTE9BrKKU_WLhOQkw1z160sRlBdrL6Y",
               "y": "Ddr70nZKjJtEBMzd8Tv4NqLKpZipuoAakiIsiYT76Yo"
              },
              "jwt": "eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJuYW5vIiwiaWF0IjoxNzAwMDAwMDAxfQ.pvd_ow81j16hSzaoZnfxGO5E4P5qZ2SxDQV0xErjARcWUFaiej2C0mSaNHpT9s-hQie-U2tn4xVZdvBU6VGSDA"
             },
             "EdDSA": {
              "pkcs8": "-----BEGIN PRIVATE KEY-----\\nMC4CAQAwBQYDK2VwBCIEIJHiUVPRNkWYsosVxQyn1HnB6OAV2yT4AX9fNso+oYXv\\n-----END PRIVATE KEY-----",
              "spki": "-----BEGIN PUBLIC KEY-----\\nMCowBQYDK2VwAyEAlfHas7IZ1CcWk9BC98PqqAtmCmcvWwLy0Lw9kDLVToc=\\n-----END PUBLIC KEY-----",
              "jwkPrivate": {
               "alg": "Ed25519",
               "crv": "Ed25519",
               "d": "keJRU9E2RZiyixXFDKfUecHo4BXbJPgBf182yj6hhe8",
               "ext": true,
               "key_ops": [
                "sign"
               ],
               "kty": "OKP",
               "x": "lfHas7IZ1CcWk9BC98PqqAtmCmcvWwLy0Lw9kDLVToc"
              },
              "jwkPublic": {
               "alg": "Ed25519",
               "crv": "Ed25519",
               "ext": true,
               "key_ops": [
                "verify"
               ],
               "kty": "OKP",
               "x": "lfHas7IZ1CcWk9BC98PqqAtmCmcvWwLy0Lw9kDLVToc"
              },
              "jwt": "eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJuYW5vIiwiaWF0IjoxNzAwMDAwMDAxfQ.c5NPc81wtyMlmg8sJktcL1k0egJcpXdXmLW1qvT4ZeOSZMxm0k5rDsa4vxTR-1T0RayXJeRd8jmWvnXaYER-Dw"
             }
            }
            """;
}
