#!/usr/bin/env bash
# The documentation holds together: README.md stays a front door (at most 200
# lines, both set-up commands with their explanation, a link to every page of
# doc/), every relative link of README.md and doc/*.md names a file that
# exists (and a #anchor names a heading of the page it points at), and every
# man page renders without groff warnings. Needs no root.
# One links check per page of README.md and doc/*.md, one groff check per
# man page: the plan follows the pages there are.
_docs_top=${MP_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
_docs_name() { local r=${1#"$_docs_top"/}; r=${r//\//_}; echo "${r//[^A-Za-z0-9_.-]/_}"; }
ALL_TESTS="readme_short readme_make_run readme_make_check readme_links_doc
	$(for f in "$_docs_top"/README.md "$_docs_top"/doc/*.md; do echo "links_$(_docs_name "$f")"; done)
	$(for f in "$_docs_top"/doc/*.1; do echo "groff_$(_docs_name "$f")"; done)"
. "$(dirname "$0")/../lib.sh"

top=$_docs_top
readme=$top/README.md

# strip_code FILE: the file without fenced or indented code blocks and
# without inline code spans, where a bracket is text, not a link.
strip_code() {
	awk '/^```/ { fence = !fence; next } !fence && !/^(    |\t)/' "$1" | sed 's/`[^`]*`//g'
}

# anchors FILE: the GitHub anchors of the headings of a markdown file
# (lower case, backticks and punctuation other than - and _ dropped, spaces
# turned into -).
anchors() {
	awk '/^```/ { fence = !fence; next } !fence && /^#+ / { sub(/^#+ +/, ""); print }' "$1" |
		tr 'A-Z' 'a-z' | sed -e 's/[^a-z0-9 _-]//g' -e 's/ /-/g'
}

# broken_links FILE: prints each relative link of FILE that does not resolve.
broken_links() {
	local f=$1 dir target path anchor
	dir=$(dirname "$f")
	strip_code "$f" | grep -o '\]([^)]*)' | sed 's/^](\(.*\))$/\1/' | while IFS= read -r target; do
		case "$target" in
		http://* | https://* | mailto:*) continue ;;
		esac
		path=${target%%#*}
		anchor=
		[[ $target == *#* ]] && anchor=${target#*#}
		if [ -z "$path" ]; then
			path=$f
		else
			path=$dir/$path
		fi
		if [ ! -e "$path" ]; then
			echo "$target (no file $path)"
		elif [ -n "$anchor" ] && ! anchors "$path" | grep -qxF -- "$anchor"; then
			echo "$target (no heading '$anchor' in $path)"
		fi
	done
}

n=$(wc -l <"$readme")
check readme_short "README.md is a front door: $n lines, at most 200" test "$n" -le 200

# The two set-up commands, as the README has always given them (CI and the
# session hooks look for them), each followed by what it does.
check readme_make_run "README.md keeps '    sudo make run' and what it does" \
	grep -qzP '\n    sudo make run\n\ninstalls what is missing, builds, runs a short default sweep' "$readme"
check readme_make_check "README.md keeps '    sudo make check' and its closing line" \
	grep -qzP '\n    sudo make check\n\ninstalls what is missing, builds and runs every test; it ends with one line\n`N passed, N failed, N skipped`' "$readme"

missing=
for page in "$top"/doc/*.md "$top"/doc/*.1; do
	grep -qF "(doc/$(basename "$page"))" "$readme" || missing+=" doc/$(basename "$page")"
done
check readme_links_doc "README.md links every page of doc/${missing:+ (missing:$missing)}" test -z "$missing"

for f in "$readme" "$top"/doc/*.md; do
	rel=${f#"$top"/}
	links=$(strip_code "$f" | grep -o '\]([^)]*)' | grep -cv '](https\?://')
	bad=$(broken_links "$f")
	if [ -z "$bad" ]; then
		pass "links_$(_docs_name "$f")" "$rel: its $links relative links resolve"
	else
		fail "links_$(_docs_name "$f")" "$rel: broken links"
		printf '%s\n' "$bad" | sed 's/^/#   /'
	fi
done

for page in "$top"/doc/*.1; do
	rel=${page#"$top"/}
	if ! command -v groff >/dev/null 2>&1; then
		skip "groff_$(_docs_name "$page")" "no groff (Debian package groff-base: make deps)"
		continue
	fi
	warn=$(groff -ww -z -man "$page" 2>&1)
	rc=$?
	if [ $rc -eq 0 ] && [ -z "$warn" ]; then
		pass "groff_$(_docs_name "$page")" "$rel renders without groff warnings"
	else
		fail "groff_$(_docs_name "$page")" "$rel: groff -ww -z -man (status $rc) warns"
		printf '%s\n' "$warn" | sed 's/^/#   /'
	fi
done
