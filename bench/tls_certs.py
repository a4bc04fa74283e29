"""The TLS family's certificates, made at bench time with the `openssl` CLI: a throw-away CA
and one server certificate for localhost and 127.0.0.1, both ECDSA P-256, valid two days.

Invariants: everything is written under the run's work dir (removed at exit unless KEEP_TMP=1)
and nothing is read from the system's OpenSSL configuration (`-config` names our own file), so
the same certificate comes out on any machine. Every peer, the HTTPS origin's terminator and
the clients use exactly these files.
"""

import subprocess
from dataclasses import dataclass
from pathlib import Path

from supervisor import StartError

DAYS = "2"

# Our own request config: `openssl req` otherwise reads the system's openssl.cnf, whose
# default extensions differ between distributions.
_REQ_CONFIG = """\
[req]
distinguished_name = dn
prompt = no
[dn]
CN = placeholder
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
"""

_SERVER_EXTENSIONS = """\
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
"""


@dataclass(frozen=True)
class Certificates:
    ca: Path       # the CA certificate, PEM: what clients and proxies verify against
    cert: Path     # the server certificate alone, PEM
    key: Path      # its private key, PEM (PKCS#8)
    bundle: Path   # cert then key in one file, as HAProxy's `crt` takes them

    def describe(self) -> str:
        return ("ECDSA P-256 server certificate for DNS:localhost and IP:127.0.0.1, signed by a "
                "throw-away ECDSA P-256 CA made at bench time with the openssl CLI (one chain "
                "for every peer and the HTTPS origin; the leaf is sent alone)")


def _openssl(args: list[str], log: Path) -> None:
    done = subprocess.run(["openssl", *args], capture_output=True, text=True, timeout=60)
    with open(log, "a") as out:
        out.write("openssl " + " ".join(args) + "\n" + done.stdout + done.stderr + "\n")
    if done.returncode != 0:
        raise StartError(f"openssl {args[0]} failed (status {done.returncode}, see {log})")


def make(work_dir: Path, log: Path) -> Certificates:
    """Writes the CA and the server certificate into work_dir/tls; checks the chain."""
    out = work_dir / "tls"
    out.mkdir(parents=True, exist_ok=True)
    config = out / "req.cnf"
    config.write_text(_REQ_CONFIG)
    extensions = out / "server.ext"
    extensions.write_text(_SERVER_EXTENSIONS)
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    ca, ca_key = out / "ca.pem", out / "ca.key"
    cert, key, csr = out / "server.pem", out / "server.key", out / "server.csr"
    _openssl(["req", "-config", str(config), "-x509", *ec, "-keyout", str(ca_key),
              "-out", str(ca), "-days", DAYS, "-subj", "/CN=cachet bench CA",
              "-extensions", "ca", "-sha256"], log)
    _openssl(["req", "-config", str(config), "-new", *ec, "-keyout", str(key), "-out", str(csr),
              "-subj", "/CN=localhost", "-sha256"], log)
    _openssl(["x509", "-req", "-in", str(csr), "-CA", str(ca), "-CAkey", str(ca_key),
              "-set_serial", "2", "-days", DAYS, "-sha256", "-extfile", str(extensions),
              "-out", str(cert)], log)
    _openssl(["verify", "-CAfile", str(ca), "-purpose", "sslserver", str(cert)], log)
    bundle = out / "server-bundle.pem"
    bundle.write_text(cert.read_text() + key.read_text())
    return Certificates(ca=ca, cert=cert, key=key, bundle=bundle)
