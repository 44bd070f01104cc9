# Two namespaces joined by one veth pair. No default route, no NAT: nothing can leave them.
lab_net() {
  ip netns add "$LAB_NS_CORP"
  ip netns add "$LAB_NS_INET"
  ip link add "$LAB_IF_CORP" netns "$LAB_NS_CORP" type veth peer name "$LAB_IF_INET" netns "$LAB_NS_INET"
  local c=(ip -n "$LAB_NS_CORP") i=(ip -n "$LAB_NS_INET") ip
  "${c[@]}" link set lo up
  "${i[@]}" link set lo up
  for ip in "$LAB_CORP_IP" "$LAB_PROXY_IP" "$LAB_DNS" "$LAB_DNS_BROKEN"; do
    "${c[@]}" addr add "$ip/24" dev "$LAB_IF_CORP"
  done
  "${c[@]}" link set "$LAB_IF_CORP" up
  "${i[@]}" addr add "$LAB_INET_GW/24" dev "$LAB_IF_INET"
  "${i[@]}" link set "$LAB_IF_INET" up
  # The inet side: every service address on inet's loopback (containers often lack the dummy module);
  # corp reaches 198.19.0.0/16 through the veth only. The fault ranges have no listener at all.
  while read -r _ ip _; do "${i[@]}" addr add "$ip/32" dev lo; done < <(lab_hosts)
  "${c[@]}" route add "$LAB_INET_NET" via "$LAB_INET_GW"
  "${c[@]}" route add "$LAB_ONPREM_NET" via "$LAB_INET_GW"

  # Faults live in corp, like a corporate firewall. Sets so tests can blackhole more addresses at run time:
  #   ip netns exec <p>-corp nft add element inet <p>lab blackholed '{ 198.19.1.23 }'
  ip netns exec "$LAB_NS_CORP" nft -f - <<NFT
table inet $LAB_NFT_TABLE {
  set blackholed { type ipv4_addr; flags interval; elements = { $LAB_BLACKHOLE_NET } }
  set rejected { type ipv4_addr; flags interval; elements = { $LAB_REJECT_NET } }
  set unreachable { type ipv4_addr; flags interval; elements = { $LAB_UNREACH_NET } }
  # A middlebox that lets the handshake and small requests through but resets the connection on a large request
  # body, as some DLP and inspection devices do to Arc's HTTP/2 POSTs.
  set resetbig { type ipv4_addr; elements = { $LAB_RESET_BIG_IP } }
  # Blackholed: answers are dropped on the way in. A drop on the way out would fail send() with EPERM at once,
  # which is nothing like a firewall that silently eats packets.
  chain input {
    type filter hook input priority 0; policy accept;
    ip saddr @blackholed drop
  }
  chain output {
    type filter hook output priority 0; policy accept;
    ip daddr @rejected meta l4proto tcp reject with tcp reset
    ip daddr @rejected reject
    ip daddr @unreachable reject with icmp type host-unreachable
    ip daddr @resetbig tcp dport 443 meta length > 1200 reject with tcp reset
  }
}
NFT

  # 'ip netns exec' bind-mounts these over /etc: inside corp the system resolver is the lab DNS, never the host's.
  mkdir -p "/etc/netns/$LAB_NS_CORP" "/etc/netns/$LAB_NS_INET"
  echo "nameserver $LAB_DNS" > "/etc/netns/$LAB_NS_CORP/resolv.conf"
  echo "nameserver 127.0.0.1" > "/etc/netns/$LAB_NS_INET/resolv.conf"
  printf '127.0.0.1 localhost\n::1 localhost\n' | tee "/etc/netns/$LAB_NS_CORP/hosts" > "/etc/netns/$LAB_NS_INET/hosts"
}
