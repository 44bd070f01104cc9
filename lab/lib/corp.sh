# The corporate side: two DNS views (dnsmasq) and the explicit proxy (squid with deny ACL, basic auth and ssl-bump).
lab_dnsmasq() {
  local view=$1 listen=$2 conf="$LAB_STATE/dnsmasq/$1.conf" name ip kind
  mkdir -p "$LAB_STATE/dnsmasq"
  {
    echo "# dnsmasq, $view view. No upstream: names not listed here are answered REFUSED, nothing is forwarded."
    echo "no-resolv"; echo "no-hosts"; echo "no-poll"; echo "bind-interfaces"
    echo "listen-address=$listen"; echo "port=53"; echo "log-queries"; echo "cache-size=0"
    # The good view owns the data-plane zone, as a public DNS would: a region the lab does not serve is NXDOMAIN, while
    # a name in no zone it owns stays REFUSED. Both proxies resolve through this view (check.sh --region westus3).
    [[ $view == good ]] && echo "local=/$LAB_DNS_ZONE/"
    while read -r name ip kind; do
      if [[ $view == broken ]]; then
        local fault; fault=$(awk -v n="$name" '!/^#/ && $1 == n {print $2}' "$LAB_DIR/broken-dns.txt")
        case $fault in
          NXDOMAIN) echo "address=/$name/"; continue ;;   # no address: NXDOMAIN for the name
          REFUSED) continue ;;                             # not listed and no upstream: REFUSED
          '') ;;
          *) ip=$fault ;;
        esac
      fi
      echo "host-record=$name,$ip"
    done < <(lab_hosts)
  } > "$conf"
  lab_start "dnsmasq-$view" "$LAB_NS_CORP" dnsmasq -k -u root --conf-file="$conf" --pid-file="$LAB_STATE/dnsmasq/$view.pid"
}

# The lines every lab squid shares: no cache, quick shutdown, no pinger, its files in DIR. lab_squid_common DIR HOSTNAME
lab_squid_common() {
  local d=$1
  cat <<CONF
cache deny all
cache_mem 8 MB
visible_hostname $2
pinger_enable off
shutdown_lifetime 1 seconds
cache_effective_user proxy
pid_filename $d/squid.pid
cache_log $d/logs/cache.log
access_log stdio:$d/logs/access.log
netdb_filename none
coredump_dir $d
CONF
}

lab_squid() {
  local d="$LAB_STATE/squid"
  mkdir -p "$d/logs"
  # Basic auth file (MD5-crypt, which basic_ncsa_auth reads).
  echo "$LAB_PROXY_USER:$(openssl passwd -1 "$LAB_PROXY_PASSWORD")" > "$d/passwd"
  cat "$LAB_PKI/inspect-root.pem" "$LAB_PKI/inspect-root.key" > "$d/bump-ca.pem"
  rm -rf "$d/ssl_db"
  /usr/lib/squid/security_file_certgen -c -s "$d/ssl_db" -M 4MB >/dev/null
  cat > "$d/squid.conf" <<CONF
# Lab corporate proxy. Three ports, one behaviour each.
http_port $LAB_PROXY_IP:$LAB_PROXY_PORT name=plain
http_port $LAB_PROXY_IP:$LAB_PROXY_AUTH_PORT name=auth
http_port $LAB_PROXY_IP:$LAB_PROXY_BUMP_PORT name=bump ssl-bump tls-cert=$d/bump-ca.pem generate-host-certificates=on dynamic_cert_mem_cache_size=4MB
sslcrtd_program /usr/lib/squid/security_file_certgen -s $d/ssl_db -M 4MB
sslcrtd_children 3 startup=1 idle=1
# squid talks to the lab internet, whose endpoints chain to the lab public root.
tls_outgoing_options cafile=$LAB_PKI/public-root.pem

auth_param basic program /usr/lib/squid/basic_ncsa_auth $d/passwd
auth_param basic children 2 startup=1 idle=1
auth_param basic realm ArcBridge Lab Proxy
acl authed proxy_auth REQUIRED
acl plain myportname plain
acl authport myportname auth
acl bump myportname bump
acl denied_host dstdomain $LAB_DENIED_HOST
acl denied_crl dstdomain $LAB_CRL_HOST
acl SSL_ports port 443
acl CONNECT method CONNECT

http_access deny CONNECT !SSL_ports
http_access deny plain denied_host
http_access deny plain denied_crl
http_access allow plain
http_access deny authport !authed
http_access allow authport
http_access allow bump
http_access deny all

acl step1 at_step SslBump1
ssl_bump peek step1
ssl_bump bump all

dns_nameservers $LAB_DNS
hosts_file none
$(lab_squid_common "$d" lab-proxy.corp.lab)
CONF
  chown -R proxy:proxy "$d"
  lab_start squid "$LAB_NS_CORP" squid -N -f "$d/squid.conf"
}

# tinyproxy: the second proxy product. It resolves with the C library, so through corp's resolv.conf (the good view).
lab_tinyproxy() {
  local d="$LAB_STATE/tinyproxy"
  mkdir -p "$d"
  cat > "$d/tinyproxy.conf" <<CONF
Port $LAB_TINYPROXY_PORT
Listen $LAB_PROXY_IP
Timeout 30
MaxClients 100
Allow $LAB_CORP_IP
Allow $LAB_PROXY_IP
ConnectPort 443
LogLevel Info
ViaProxyName "lab-tinyproxy"
CONF
  lab_start tinyproxy "$LAB_NS_CORP" tinyproxy -d -c "$d/tinyproxy.conf"
}

lab_corp() {
  lab_dnsmasq good "$LAB_DNS"
  lab_dnsmasq broken "$LAB_DNS_BROKEN"
  lab_squid
  lab_tinyproxy
  lab_wait_listen dnsmasq-good "$LAB_NS_CORP" udp "$LAB_DNS:53" || return 1
  lab_wait_listen dnsmasq-broken "$LAB_NS_CORP" udp "$LAB_DNS_BROKEN:53" || return 1
  local port
  for port in "$LAB_PROXY_PORT" "$LAB_PROXY_AUTH_PORT" "$LAB_PROXY_BUMP_PORT"; do
    lab_wait_listen squid "$LAB_NS_CORP" tcp "$LAB_PROXY_IP:$port" || return 1
  done
  lab_wait_listen tinyproxy "$LAB_NS_CORP" tcp "$LAB_PROXY_IP:$LAB_TINYPROXY_PORT" || return 1
}
