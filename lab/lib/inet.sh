# The "internet": an HTTPS answer for every allowlist host, special TLS endpoints and an NTP server.
lab_inet() {
  local name ip kind args
  while read -r name ip kind; do
    case $kind in
      https) args=(-cert "$LAB_PKI/leaf.pem" -key "$LAB_PKI/leaf.key") ;;
      https-expired) args=(-cert "$LAB_PKI/expired.pem" -key "$LAB_PKI/expired.key") ;;
      # OpenSSL 3 refuses TLS 1.1 at the default security level; level 0 lets this endpoint offer only that.
      https-tls11) args=(-cert "$LAB_PKI/leaf.pem" -key "$LAB_PKI/leaf.key" -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0') ;;
      https-skewed)
        # A Date header 40 minutes ahead: to the agent, its own clock is 40 minutes behind (Arc fails at 30).
        lab_start "https-$name" "$LAB_NS_INET" python3 "$LAB_DIR/lib/skewed_https.py" "$ip" 443 "$LAB_PKI/leaf.pem" "$LAB_PKI/leaf.key" 2400
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
      ntp) lab_wait_listen chronyd "$LAB_NS_INET" udp "$ip:123" || return 1 ;;
      onprem) lab_wait_listen "onprem-$name-22" "$LAB_NS_INET" tcp "$ip:22" || return 1
              lab_wait_listen "onprem-$name-6443" "$LAB_NS_INET" tcp "$ip:6443" || return 1 ;;
    esac
  done < <(lab_hosts)
}
