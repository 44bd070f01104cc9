# The lab PKI: a "public" root (what Microsoft endpoints chain to, in the lab), a leaf for every host name,
# an expired leaf, and an "inspecting" root that squid ssl-bump signs forged certificates with.
lab_pki() {
  mkdir -p "$LAB_PKI" && cd "$LAB_PKI" || return 1
  local sans names
  names=$(lab_hosts | awk '$3 ~ /^https/ {print $1}')
  sans=$(printf 'DNS:%s,' $names)
  sans="${sans%,}"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/O=ArcBridge Lab/CN=ArcBridge Lab Public Root CA" \
    -keyout public-root.key -out public-root.pem -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/O=ArcBridge Lab/CN=ArcBridge Lab Inspecting CA" \
    -keyout inspect-root.key -out inspect-root.pem -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\ncrlDistributionPoints=URI:http://%s/lab-public-root.crl\n' \
    "$sans" "$LAB_CRL_HOST" > leaf.ext
  openssl req -new -newkey rsa:2048 -nodes -subj "/O=ArcBridge Lab/CN=lab endpoints" -keyout leaf.key -out leaf.csr 2>/dev/null
  openssl x509 -req -in leaf.csr -CA public-root.pem -CAkey public-root.key -CAcreateserial -days 825 \
    -extfile leaf.ext -out leaf.pem 2>/dev/null
  # Expired: valid for one day, two years ago (openssl 3.0 x509 has no -not_before, so use 'ca' with explicit dates).
  openssl req -new -newkey rsa:2048 -nodes -subj "/O=ArcBridge Lab/CN=expired endpoints" -keyout expired.key -out expired.csr 2>/dev/null
  mkdir -p ca && : > ca/index.txt && echo 1000 > ca/serial
  cat > ca.cnf <<CNF
[ca]
default_ca = lab
[lab]
dir = $LAB_PKI/ca
database = \$dir/index.txt
serial = \$dir/serial
new_certs_dir = \$dir
default_md = sha256
default_crl_days = 30
policy = any
copy_extensions = none
[any]
commonName = supplied
organizationName = optional
[ext]
subjectAltName = $sans
extendedKeyUsage = serverAuth
basicConstraints = CA:FALSE
CNF
  local start end
  start=$(date -u -d '2 years ago' +%Y%m%d%H%M%SZ)
  end=$(date -u -d '2 years ago + 1 day' +%Y%m%d%H%M%SZ)
  openssl ca -batch -config ca.cnf -cert public-root.pem -keyfile public-root.key -in expired.csr -out expired.pem \
    -startdate "$start" -enddate "$end" -extensions ext -notext 2>/dev/null
  # What the revocation servers hand out (http.server on :80 in inet); any HTTP answer is what a probe needs.
  mkdir -p www
  openssl ca -gencrl -config ca.cnf -cert public-root.pem -keyfile public-root.key -out lab-public-root.crl.pem 2>/dev/null
  openssl crl -in lab-public-root.crl.pem -outform DER -out www/lab-public-root.crl
  for f in public-root.pem inspect-root.pem leaf.pem expired.pem www/lab-public-root.crl; do
    [[ -s $f ]] || { echo "pki: $f was not created" >&2; return 1; }
  done
  chmod 644 ./*.pem www/* && chmod 600 ./*.key
  cd - >/dev/null
}
