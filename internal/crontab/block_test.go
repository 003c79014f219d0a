package crontab

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// foreign holds every kind of line a user's crontab may have that mkdaemon
// must give back byte for byte (rule 2 of the install issue), as `crontab
// -l` lists them: a carriage return appears as the two characters `\r`.
const foreign = "SHELL=/bin/sh\n" +
	"PATH=/usr/local/bin:/usr/bin:/bin\n" +
	"MAILTO=\"\"\n" +
	"  TZ = Europe/Berlin\n" +
	"# a comment\n" +
	"\n" +
	"   \n" +
	"\t# indented comment\n" +
	" */10  *\t*  * *    /usr/bin/true   odd  spacing   \n" +
	"0 3 * * * /usr/bin/printf 'dos line'\\r\n" +
	"#Ansible: backup\n" +
	"0 2 * * * /usr/local/bin/backup.sh\n" +
	"# Begin Whenever generated tasks for: /srv/app/config/schedule.rb at: 2024-01-01 00:00:00 +0000\n" +
	"0 * * * * /bin/bash -l -c 'cd /srv/app && bundle exec rake cleanup --silent'\n" +
	"# End Whenever generated tasks for: /srv/app/config/schedule.rb at: 2024-01-01 00:00:00 +0000\n" +
	"# BEGIN mkdaemons are not markers\n" +
	"#BEGIN mkdaemon nospace is not a marker either\n" +
	"@daily echo 50\\% done # ünïcødé\n" +
	"\n"

var botLines = []string{
	"*/5 * * * * /usr/sbin/start-stop-daemon --start --quiet --oknodo --pidfile /home/u/.local/state/mkdaemon/bot.pid --name bot --startas /home/u/bot",
}

func TestSpliceAppendsAndKeepsEveryForeignByte(t *testing.T) {
	got, act, err := Splice(foreign, "bot", botLines)
	if err != nil {
		t.Fatal(err)
	}
	want := foreign + "# BEGIN mkdaemon bot\n" + botLines[0] + "\n# END mkdaemon bot\n"
	if got != want || act != Installed {
		t.Fatalf("Splice = %v\n%q\nwant Installed\n%q", act, got, want)
	}
	back, err := Remove(got, "bot")
	if err != nil {
		t.Fatal(err)
	}
	if back != foreign {
		t.Fatalf("Remove did not give back the original:\n%q\nwant\n%q", back, foreign)
	}
}

func TestSpliceReplacesInPlace(t *testing.T) {
	head := "MAILTO=me\n# before\n"
	tail := "# after\n0 0 * * * /bin/true\n"
	text := head + "# BEGIN mkdaemon bot\nold line 1\nold line 2\n# END mkdaemon bot\n" + tail
	got, act, err := Splice(text, "bot", []string{"new line"})
	if err != nil {
		t.Fatal(err)
	}
	want := head + "# BEGIN mkdaemon bot\nnew line\n# END mkdaemon bot\n" + tail
	if got != want || act != Updated {
		t.Fatalf("Splice = %v\n%q\nwant Updated\n%q", act, got, want)
	}
	again, act, err := Splice(got, "bot", []string{"new line"})
	if err != nil || again != got || act != Unchanged {
		t.Fatalf("second Splice = %v, %v, changed=%v; want Unchanged and the same text", act, err, again != got)
	}
}

func TestSpliceKeepsOtherBlocks(t *testing.T) {
	text, _, _ := Splice(foreign, "one", []string{"@hourly one"})
	text, _, _ = Splice(text, "two", []string{"@hourly two"})
	text, act, err := Splice(text, "one", []string{"@daily one"})
	if err != nil || act != Updated {
		t.Fatalf("update one: %v %v", act, err)
	}
	blocks, err := Blocks(text)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range blocks {
		got = append(got, b.Name+"="+strings.Join(b.Lines, "|"))
	}
	if want := []string{"one=@daily one", "two=@hourly two"}; !slices.Equal(got, want) {
		t.Fatalf("Blocks = %q, want %q", got, want)
	}
	if !strings.HasPrefix(text, foreign) {
		t.Fatal("foreign lines moved")
	}
}

func TestSpliceAddsMissingFinalNewline(t *testing.T) {
	// Debian's crontab accepts a last line without newline if it is a
	// comment, and lists it so.
	got, _, err := Splice("0 0 * * * /bin/true\n# last", "bot", []string{"@daily x"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "0 0 * * * /bin/true\n# last\n# BEGIN mkdaemon bot\n@daily x\n# END mkdaemon bot\n"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	got, err = Remove(got, "bot")
	if err != nil || got != "0 0 * * * /bin/true\n# last\n" {
		t.Fatalf("Remove = %q, %v", got, err)
	}
}

func TestSpliceIntoEmpty(t *testing.T) {
	got, act, err := Splice("", "bot", []string{"@daily x", "@reboot x"})
	if err != nil || act != Installed || got != "# BEGIN mkdaemon bot\n@daily x\n@reboot x\n# END mkdaemon bot\n" {
		t.Fatalf("Splice(\"\") = %q, %v, %v", got, act, err)
	}
	got, err = Remove(got, "bot")
	if err != nil || got != "" {
		t.Fatalf("Remove = %q, %v; want the empty crontab", got, err)
	}
}

func TestMarkerErrors(t *testing.T) {
	for _, tc := range []struct{ name, text, reason string }{
		{"begin without end", "a\n# BEGIN mkdaemon bot\n@daily x\n", "BEGIN without its END"},
		{"end without begin", "a\n@daily x\n# END mkdaemon bot\n", "END without its BEGIN"},
		{"duplicate", "# BEGIN mkdaemon bot\n# END mkdaemon bot\n# BEGIN mkdaemon bot\n# END mkdaemon bot\n", "second block"},
		{"nested", "# BEGIN mkdaemon a\n# BEGIN mkdaemon b\n# END mkdaemon b\n# END mkdaemon a\n", "BEGIN inside"},
		{"crossed", "# BEGIN mkdaemon a\n# END mkdaemon b\n", "closes \"b\""},
		{"end edited with CR", "# BEGIN mkdaemon bot\n@daily x\n# END mkdaemon bot\\r\n", "closes"},
		{"other name broken", "# BEGIN mkdaemon other\n", "BEGIN without its END"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var me *MarkerError
			if _, _, err := Splice(tc.text, "bot", []string{"@daily y"}); !errors.As(err, &me) || !strings.Contains(err.Error(), tc.reason) {
				t.Errorf("Splice error = %v, want a MarkerError about %q", err, tc.reason)
			}
			if _, err := Remove(tc.text, "bot"); !errors.As(err, &me) {
				t.Errorf("Remove error = %v, want a MarkerError", err)
			}
			if _, err := Blocks(tc.text); !errors.As(err, &me) {
				t.Errorf("Blocks error = %v, want a MarkerError", err)
			}
		})
	}
}

func TestRemoveUnknownListsKnownNames(t *testing.T) {
	text, _, _ := Splice("", "one", []string{"@daily 1"})
	text, _, _ = Splice(text, "two", []string{"@daily 2"})
	_, err := Remove(text, "three")
	var nf *NotFoundError
	if !errors.As(err, &nf) || !slices.Equal(nf.Known, []string{"one", "two"}) {
		t.Fatalf("Remove(three) = %v, want NotFoundError knowing one, two", err)
	}
	if !strings.Contains(err.Error(), "one, two") {
		t.Errorf("message %q does not list the known names", err)
	}
}

func TestSpliceRefusesBadInput(t *testing.T) {
	for _, tc := range []struct {
		name  string
		lines []string
	}{
		{"", []string{"x"}},
		{"a\nb", []string{"x"}},
		{" bot", []string{"x"}},
		{"bot", []string{"two\nlines"}},
		{"bot", []string{"# END mkdaemon bot"}},
		{"bot", []string{"# BEGIN mkdaemon other"}},
	} {
		if _, _, err := Splice("", tc.name, tc.lines); err == nil {
			t.Errorf("Splice(%q, %q) succeeded", tc.name, tc.lines)
		}
	}
}

func TestSpliceAt(t *testing.T) {
	text := "MAILTO=me\n*/5 * * * * pgrep bot || /home/me/bot &\n# BEGIN mkdaemon old\n* * * * * x\n# END mkdaemon old\n0 3 * * * backup\n"
	got, err := SpliceAt(text, "bot", []string{"*/5 * * * * ssd"}, 2, "*/5 * * * * pgrep bot || /home/me/bot &")
	want := "MAILTO=me\n# BEGIN mkdaemon bot\n*/5 * * * * ssd\n# END mkdaemon bot\n# BEGIN mkdaemon old\n* * * * * x\n# END mkdaemon old\n0 3 * * * backup\n"
	if err != nil || got != want {
		t.Errorf("SpliceAt = %q, %v\nwant %q", got, err, want)
	}
	for _, tc := range []struct {
		name string
		n    int
		line string
		err  string
	}{
		{"bot", 2, "something else", "no longer reads"},
		{"bot", 9, "x", "no longer reads"},
		{"old", 2, "*/5 * * * * pgrep bot || /home/me/bot &", "already has an entry named old"},
		{"bot", 4, "* * * * * x", "inside the entry old"},
	} {
		if _, err := SpliceAt(text, tc.name, []string{"l"}, tc.n, tc.line); err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("SpliceAt(%s, line %d) error %v, want %q", tc.name, tc.n, err, tc.err)
		}
	}
}
