# Shared names and addresses of the lab. Sourced by up.sh, down.sh, env.sh and check.sh.
# LAB_PREFIX keeps a test run's lab apart from a person's lab: every namespace and interface name starts with it.
LAB_PREFIX="${LAB_PREFIX:-abd}"
if [[ ! "$LAB_PREFIX" =~ ^[a-z][a-z0-9]{0,9}$ ]]; then
  echo "lab: LAB_PREFIX must be 1-10 lower-case letters/digits starting with a letter (got '$LAB_PREFIX')" >&2
  exit 2
fi
LAB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LAB_STATE="${LAB_STATE:-/run/${LAB_PREFIX}-lab}"
LAB_NS_CORP="${LAB_PREFIX}-corp"
LAB_NS_INET="${LAB_PREFIX}-inet"
LAB_IF_CORP="${LAB_PREFIX}-c2i"   # corp end of the veth pair (<= 15 chars)
LAB_IF_INET="${LAB_PREFIX}-i2c"   # inet end

# 198.18.0.0/15 is the benchmark range: never routed on the Internet, and we add no route out of the namespaces.
LAB_CORP_IP=198.18.0.1            # the corporate machine where the agent runs
LAB_INET_GW=198.18.0.2            # inet end of the link
LAB_DNS=198.18.0.53               # dnsmasq: real allowlist names -> inet addresses
LAB_DNS_BROKEN=198.18.0.54        # dnsmasq: a view where some names point at faults (broken-dns.txt)
LAB_PROXY_IP=198.18.0.3           # squid
LAB_PROXY_PORT=3128               # plain explicit proxy; denies LAB_DENIED_HOST (403)
LAB_PROXY_AUTH_PORT=3129          # basic auth (407 without credentials)
LAB_PROXY_BUMP_PORT=3130          # ssl-bump: real TLS interception with the lab inspecting root
LAB_TINYPROXY_PORT=8888           # tinyproxy on the squid address: a second proxy product, worded differently
LAB_GATEWAY_DENIED_HOST=ecpacr.azurecr.io   # the gateway stand-in refuses CONNECT to this host (403)
LAB_DNS_ZONE=dp.prod.appliances.azure.com   # the good view is authoritative here: unknown regions are NXDOMAIN
LAB_PROXY_USER=labuser
LAB_PROXY_PASSWORD=labpass
LAB_DENIED_HOST=sts.windows.net
LAB_CRL_HOST=crl.lab.test          # CRL distribution point of the lab leaf certificates; squid's plain port denies it
LAB_INET_NET=198.19.0.0/16
LAB_ONPREM_NET=198.18.1.0/24      # appliance VM and control plane (in inet's namespace, reached directly)
LAB_APPLIANCE_VM_IP=198.18.1.10
LAB_CONTROL_PLANE_IP=198.18.1.11
LAB_NTP_IP=198.19.2.123
LAB_EXPIRED_IP=198.19.3.10
LAB_TLS11_IP=198.19.3.11
LAB_BLACKHOLE_NET=198.19.254.0/24 # nftables drop in corp: timeouts
LAB_REJECT_NET=198.19.253.0/24    # nftables reject with tcp reset in corp: refused
LAB_UNREACH_NET=198.19.252.0/24   # nftables reject with icmp host-unreachable in corp
LAB_BLACKHOLE_IP=198.19.254.10
LAB_REJECT_IP=198.19.253.10
LAB_RESET_BIG_IP=198.19.1.43      # nftables in corp resets any TCP segment over 1200 bytes to it: a POST body, not a handshake
LAB_NFT_TABLE="${LAB_PREFIX}lab"
LAB_PKI="$LAB_STATE/pki"

lab_log() { echo "lab[$LAB_PREFIX]: $*" >&2; }
lab_die() { echo "lab[$LAB_PREFIX]: ERROR: $*" >&2; exit 1; }
lab_need_root() { [[ $EUID -eq 0 ]] || lab_die "needs root (network namespaces): run 'sudo $0'"; }

# Host names and addresses from hosts.txt, "name ip kind" per line, comments dropped.
lab_hosts() { grep -v '^\s*#' "$LAB_DIR/hosts.txt" | awk 'NF>=3 {print $1, $2, $3}'; }
