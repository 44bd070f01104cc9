# The "internet": an HTTPS answer for every allowlist host, special TLS endpoints and an NTP server.
lab_inet() {
  local name ip kind args
  while read -r name ip kind; do
    case $kind in
      https) args=(-cert "$LAB_PKI/leaf.pem" -key "$LAB_PKI/leaf.key") ;;
      https-expired) args=(-cert "$LAB_PKI/expired.pem" -key "$LAB_PKI/expired.key") ;;
      # OpenSSL 3 refuses TLS 1.1 at the default security level; level 0 lets this endpoint offer only that.
      https-tls11) args=(-cert "$LAB_PKI/leaf.pem" -key "$LAB_PKI/leaf.key" -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0') ;;
      https-gateway) lab_gateway "$name" "$ip"; continue ;;
      https-gateway-auth) lab_gateway "$name" "$ip" auth; continue ;;
      https-skewed-*)
        # A Date header N seconds ahead: to the agent, its own clock is that far behind (Arc fails at 30 minutes).
        lab_start "https-$name" "$LAB_NS_INET" python3 "$LAB_DIR/lib/skewed_https.py" "$ip" 443 "$LAB_PKI/leaf.pem" "$LAB_PKI/leaf.key" "${kind#https-skewed-}"
        continue ;;
      https-h2-reject|https-h2-tarpit|https-h2-buffer|https-h2-holdupgrade)
        # A data plane behind haproxy that answers GET but refuses (RST_STREAM) or holds (tarpit) every POST, as
        # middleboxes that break Arc's HTTP/2 POSTs do.
        lab_haproxy "$name" "$ip" "${kind#https-h2-}"
        continue ;;
      https-h2)
        # A data plane speaks HTTP/2 (openssl s_server cannot): nginx with ALPN h2, answering 401 like Azure without a token.
        local dir="$LAB_STATE/nginx-$name"
        mkdir -p "$dir"
        cat > "$dir/nginx.conf" <<CONF
worker_processes 1;
master_process off;
pid $dir/nginx.pid;
error_log stderr warn;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $dir/body;
    proxy_temp_path $dir/proxy;
    fastcgi_temp_path $dir/fastcgi;
    uwsgi_temp_path $dir/uwsgi;
    scgi_temp_path $dir/scgi;
    server {
        listen $ip:443 ssl http2;
        ssl_certificate $LAB_PKI/leaf.pem;
        ssl_certificate_key $LAB_PKI/leaf.key;
        location / { return 401; }
    }
}
CONF
        lab_start "https-$name" "$LAB_NS_INET" nginx -p "$dir" -c "$dir/nginx.conf" -g 'daemon off; user root;'
        continue ;;
      http)
        # A CRL/OCSP server: plain HTTP on 80 (404 for paths it lacks is still an answer, as a real one's is).
        lab_start "http-$name" "$LAB_NS_INET" python3 -m http.server --bind "$ip" --directory "$LAB_PKI/www" 80
        continue ;;
      onprem)
        # Appliance VM / control plane: something must accept TCP 22 and 6443; a TLS listener on both will do.
        lab_start "onprem-$name-22" "$LAB_NS_INET" openssl s_server -quiet -www -accept "$ip:22" -cert "$LAB_PKI/leaf.pem" -key "$LAB_PKI/leaf.key"
        lab_start "onprem-$name-6443" "$LAB_NS_INET" openssl s_server -quiet -www -accept "$ip:6443" -cert "$LAB_PKI/leaf.pem" -key "$LAB_PKI/leaf.key"
        continue ;;
      *) continue ;;
    esac
    # -www answers any HTTP request with a 200 status page; -naccept is not set, so it serves forever.
    lab_start "https-$name" "$LAB_NS_INET" openssl s_server -quiet -www -accept "$ip:443" "${args[@]}"
  done < <(lab_hosts)

  mkdir -p "$LAB_STATE/chrony"

  cat > "$LAB_STATE/chrony/chrony.conf" <<CONF
# time.windows.com in the lab. Started with -x: serves time, never touches the host clock.
port 123
bindaddress $LAB_NTP_IP
allow
local stratum 3
cmdport 0
bindcmdaddress /
pidfile $LAB_STATE/chrony/chronyd.pid
driftfile $LAB_STATE/chrony/drift
CONF
  lab_start chronyd "$LAB_NS_INET" chronyd -d -x -u root -f "$LAB_STATE/chrony/chrony.conf"

  while read -r name ip kind; do
    case $kind in
      https*) lab_wait_listen "https-$name" "$LAB_NS_INET" tcp "$ip:443" || return 1 ;;
      http) lab_wait_listen "http-$name" "$LAB_NS_INET" tcp "$ip:80" || return 1 ;;
      ntp) lab_wait_listen chronyd "$LAB_NS_INET" udp "$ip:123" || return 1 ;;
      onprem) lab_wait_listen "onprem-$name-22" "$LAB_NS_INET" tcp "$ip:22" || return 1
              lab_wait_listen "onprem-$name-6443" "$LAB_NS_INET" tcp "$ip:6443" || return 1 ;;
    esac
  done < <(lab_hosts)
}

# An Arc gateway stand-in: squid with an https_port, the lab leaf as its certificate (it chains to the lab public root,
# as the real gateway chains to Microsoft's). It resolves from hosts.txt only and refuses one host, as a gateway whose
# allowed features do not cover it would.
lab_gateway() {
  local name=$1 ip=$2 auth=${3:-} d="$LAB_STATE/gateway-$1" access=""
  mkdir -p "$d/logs"
  cat "$LAB_PKI/leaf.pem" > "$d/gw.pem"
  cat "$LAB_PKI/leaf.key" > "$d/gw.key"
  lab_hosts | awk '{print $2, $1}' > "$d/hosts"
  if [[ $auth == auth ]]; then
    # Like the real gateway, which opens tunnels only for onboarded Arc agents: without their identity, 407.
    echo "arcagent:$(openssl passwd -1 "never-given-to-probes")" > "$d/passwd"
    access="auth_param basic program /usr/lib/squid/basic_ncsa_auth $d/passwd
auth_param basic children 1 startup=1 idle=1
auth_param basic realm Arc gateway
acl authed proxy_auth REQUIRED
http_access deny !authed"
  fi
  cat > "$d/squid.conf" <<CONF
# Arc gateway stand-in ($name).
https_port $ip:443 tls-cert=$d/gw.pem tls-key=$d/gw.key
acl corp src 198.18.0.0/16
acl refused dstdomain $LAB_GATEWAY_DENIED_HOST
acl SSL_ports port 443
acl CONNECT method CONNECT
http_access deny CONNECT !SSL_ports
http_access deny refused
$access
http_access allow corp
http_access deny all
hosts_file $d/hosts
dns_nameservers 127.0.0.1
$(lab_squid_common "$d" "$name")
CONF
  chown -R proxy:proxy "$d"
  lab_start "https-$name" "$LAB_NS_INET" squid -N -f "$d/squid.conf"
}

# haproxy in front of nothing: it answers GET itself (401, like Azure without a token) over h2 and http/1.1, and
# rejects (RST_STREAM) or tarpits every POST; "buffer" reads each whole request body before answering (a server
# that answered at the headers would let the client stop sending the body).
lab_haproxy() {
  local name=$1 ip=$2 action=$3 d="$LAB_STATE/haproxy-$1" rule
  rule="http-request $action if METH_POST"
  [[ $action == buffer ]] && rule="option http-buffer-request"
  [[ $action == holdupgrade ]] && rule="http-request tarpit if { hdr(upgrade) -m found }"
  mkdir -p "$d"
  cat "$LAB_PKI/leaf.pem" "$LAB_PKI/leaf.key" > "$d/cert.pem"
  cat > "$d/haproxy.cfg" <<CONF
defaults
  mode http
  timeout client 30s
  timeout connect 5s
  timeout server 30s
  timeout tarpit 30s
frontend dataplane
  bind $ip:443 ssl crt $d/cert.pem alpn h2,http/1.1
  $rule
  http-request return status 401
CONF
  lab_start "https-$name" "$LAB_NS_INET" haproxy -db -f "$d/haproxy.cfg"
}
