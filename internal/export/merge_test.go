package export

import (
	"bytes"
	"errors"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func testJob(name string) Job {
	return Job{Name: name, Command: "/data/project/t/" + name + " --foreground", Image: "python3.11", Continuous: true, Emails: "onfailure"}
}

func TestMergeJobs(t *testing.T) {
	bot := testJob("bot")
	item := "- name: bot\n  command: /data/project/t/bot --foreground\n  image: python3.11\n  continuous: true\n  emails: onfailure\n"
	indented := strings.ReplaceAll(strings.TrimSuffix("  "+item, "\n"), "\n", "\n  ") + "\n"
	crlf := strings.ReplaceAll(item, "\n", "\r\n")
	for _, c := range []struct{ name, in, want string }{
		{"empty", "", item},
		{"comments only", "# my jobs\n\n", "# my jobs\n\n" + item},
		{"no final newline", "# my jobs", "# my jobs\n" + item},
		{"empty document", "---\n", "---\n" + item},
		{"append",
			"# tool jobs\n- name: other # keep\n  command: 'x  y'\n  image: bookworm\n",
			"# tool jobs\n- name: other # keep\n  command: 'x  y'\n  image: bookworm\n" + item},
		{"append keeps the last line's missing newline fixed",
			"- name: other\n  image: x",
			"- name: other\n  image: x\n" + item},
		{"replace first, keep the comments around it",
			"# head\n- name: bot\n  command: old\n  image: x\n# about other\n- name: other\n  command: y\n",
			"# head\n" + item + "# about other\n- name: other\n  command: y\n"},
		{"replace middle",
			"- name: a\n  command: a\n\n- name: bot   # old one\n  # inner comment goes with the job\n  command: old\n  mem: 1Gi\n\n# before c\n- name: c\n  command: \"c\"\n",
			"- name: a\n  command: a\n\n" + item + "\n# before c\n- name: c\n  command: \"c\"\n"},
		{"replace last, keep the trailing comments",
			"- name: a\n  image: x\n- name: bot\n  image: old\n# - name: retired\n#   image: y\n\n",
			"- name: a\n  image: x\n" + item + "# - name: retired\n#   image: y\n\n"},
		{"indented list",
			"  - name: a\n    image: x\n  - name: bot\n    image: old\n",
			"  - name: a\n    image: x\n" + indented},
		{"indented list, append",
			"  - name: a\n    image: x\n",
			"  - name: a\n    image: x\n" + indented},
		{"dash on its own line",
			"-\n  name: bot\n  image: old\n- name: z\n",
			item + "- name: z\n"},
		{"comment between the dash and the job",
			"- # the bot\n  name: bot\n  image: old\n",
			item},
		{"flow mapping item",
			"- {name: bot, image: old}\n- {name: z, image: y}\n",
			item + "- {name: z, image: y}\n"},
		{"a block scalar line that looks like a comment is the job's",
			"- name: bot\n  command: |\n    run\n    # part of the text\n# a real comment\n- name: z\n",
			item + "# a real comment\n- name: z\n"},
		{"kept block scalar blank lines are the job's",
			"- name: a\n  command: |+\n    x\n\n- name: bot\n  image: old\n",
			"- name: a\n  command: |+\n    x\n\n" + item},
		{"document end marker", "- name: a\n...\n", "- name: a\n" + item + "...\n"},
		{"directive and document start",
			"%YAML 1.1\n---\n- name: bot\n  image: old\n",
			"%YAML 1.1\n---\n" + item},
		{"crlf", "- name: a\r\n  image: x\r\n", "- name: a\r\n  image: x\r\n" + crlf},
		{"quoted keys and values",
			"- \"name\": 'bot'\n  'image': \"old\"\n- name: \"z\"\n",
			item + "- name: \"z\"\n"},
		{"bom", "\ufeff- name: bot\n  image: old\n", "\ufeff" + item},
		{"anchor on another job survives",
			"- &base\n  name: a\n  image: x\n- <<: *base\n  name: c\n",
			"- &base\n  name: a\n  image: x\n- <<: *base\n  name: c\n" + item},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := MergeJobs([]byte(c.in), bot)
			if err != nil {
				t.Fatalf("MergeJobs: %v\n%s", err, c.in)
			}
			if string(got) != c.want {
				t.Errorf("MergeJobs of\n%s\ngave\n%s\nwant\n%s", c.in, got, c.want)
			}
			checkMerge(t, []byte(c.in), got, bot)
			again, err := MergeJobs(got, bot)
			if err != nil || !bytes.Equal(again, got) {
				t.Errorf("merging the same job again changed the file (%v):\n%s", err, again)
			}
		})
	}
}

func TestMergeJobsRefuses(t *testing.T) {
	bot := testJob("bot")
	for _, c := range []struct{ name, in, msg string }{
		{"mapping", "jobs:\n  - name: bot\n", "list of jobs"},
		{"scalar", "bot\n", "list of jobs"},
		{"flow list", "[{name: bot}]\n", "flow style"},
		{"duplicate", "- name: a\n- name: bot\n- name: a\n", "second job named a (the first is on line 1)"},
		{"item not a mapping", "- name: a\n- just text\n", "job 2"},
		{"item without name", "- image: x\n", "no name"},
		{"name not a string", "- name: [a]\n", "no name"},
		{"two documents", "- name: a\n---\n- name: b\n", "more than one YAML document"},
		{"not yaml", "- name: a\n  image: [x\n", "not valid YAML"},
		{"tab indentation", "- name: a\n\timage: x\n", "not valid YAML"},
		{"not utf-8", "- name: \xff\n", "not UTF-8"},
		{"alias item", "- &a {name: a}\n- *a\n", "alias"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := MergeJobs([]byte(c.in), bot)
			var me *MergeError
			if !errors.As(err, &me) {
				t.Fatalf("MergeJobs = %q, %v; want a *MergeError", got, err)
			}
			if !strings.Contains(err.Error(), c.msg) {
				t.Errorf("error %q lacks %q", err, c.msg)
			}
		})
	}

	// Replacing a job other jobs refer to would change them: the check
	// after the splice catches it.
	in := "- &base\n  name: bot\n  image: x\n- <<: *base\n  name: c\n"
	if got, err := MergeJobs([]byte(in), bot); err == nil || !strings.Contains(err.Error(), "nothing was written") {
		t.Errorf("MergeJobs = %q, %v; want a refusal", got, err)
	}

	if _, err := MergeJobs(nil, Job{Name: "Bad_Name", Command: "x", Image: "y", Emails: "none"}); err == nil {
		t.Error("MergeJobs accepted an invalid job name")
	}
}

// checkMerge holds the result of a merge to what MergeJobs promises,
// recomputed here without its help:
//   - the result parses to the old jobs in their order, with job in place
//     of the one of its name or after the last, and nothing else;
//   - the text before the first job, and the text of every other job from
//     its "-" line to the next one (its trailing comments included), are
//     in the result byte for byte, in order; after a replaced job, the
//     rest of the file is the result's end.
func checkMerge(t *testing.T, orig, result []byte, job Job) {
	t.Helper()
	before := jobValues(t, orig)
	after := jobValues(t, result)
	target := -1
	for i, v := range before {
		if v["name"] == job.Name {
			target = i
		}
	}
	want := append([]map[string]any(nil), before...)
	if target >= 0 {
		want[target] = job.Value()
	} else {
		want = append(want, job.Value())
	}
	if !reflect.DeepEqual(after, want) {
		t.Fatalf("the merged file reads\n%v\nwant\n%v\n--- merged:\n%s", after, want, result)
	}

	lf := bytes.ReplaceAll(orig, []byte("\r\n"), []byte("\n"))
	if bytes.ContainsAny(lf, "\r\u0085\u2028\u2029") {
		return // dashOffsets counts lines by \n only
	}
	starts := dashOffsets(t, orig)
	if len(starts) == 0 {
		if !bytes.HasPrefix(result, orig) {
			t.Fatalf("the merged file does not start with the original:\n%q\n%q", orig, result)
		}
		return
	}
	if !bytes.HasPrefix(result, orig[:starts[0]]) {
		t.Fatalf("the text before the first job changed:\n%q\n%q", orig[:starts[0]], result)
	}
	pos := starts[0]
	for i := range starts {
		end := len(orig)
		if i+1 < len(starts) {
			end = starts[i+1]
		} else if m := docEnd.FindIndex(orig[starts[i]:]); m != nil && target < 0 {
			end = starts[i] + m[0] // a new job goes before a document end marker
		}
		if i == target {
			if end < len(orig) && !bytes.HasSuffix(result, orig[end:]) {
				t.Fatalf("the text after the replaced job changed:\n%q\n%q", orig[end:], result)
			}
			continue
		}
		span := orig[starts[i]:end]
		at := bytes.Index(result[pos:], span)
		if at < 0 {
			t.Fatalf("job %d's text is not in the merged file byte for byte:\n%q\n--- merged:\n%q", i+1, span, result)
		}
		pos += at + len(span)
	}
}

var docEnd = regexp.MustCompile(`(?m)^\.\.\.[ \t\r]*$`)

// jobValues parses a jobs.yaml into its jobs.
func jobValues(t *testing.T, data []byte) []map[string]any {
	t.Helper()
	var jobs []map[string]any
	if err := yaml.Unmarshal(data, &jobs); err != nil {
		t.Fatalf("cannot parse:\n%s\n%v", data, err)
	}
	return jobs
}

// dashOffsets finds each job's "-" line: the first line at or above the
// job's first line whose text starts with "-".
func dashOffsets(t *testing.T, data []byte) []int {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.SequenceNode {
		return nil
	}
	var lineStarts []int
	for i, off := 0, 0; ; i++ {
		lineStarts = append(lineStarts, off)
		n := bytes.IndexByte(data[off:], '\n')
		if n < 0 {
			break
		}
		off += n + 1
	}
	var out []int
	for _, item := range doc.Content[0].Content {
		l := item.Line - 1
		for ; l > 0; l-- {
			end := len(data)
			if l+1 < len(lineStarts) {
				end = lineStarts[l+1]
			}
			text := strings.TrimLeft(strings.TrimPrefix(string(data[lineStarts[l]:end]), "\ufeff"), " ")
			if strings.HasPrefix(text, "-") {
				break
			}
		}
		out = append(out, lineStarts[l])
	}
	return out
}

// FuzzMergeJobs: on any input MergeJobs either refuses or returns a file
// that keeps its promise (checkMerge), and merging again changes nothing.
// The seed corpus is in testdata/fuzz/FuzzMergeJobs.
func FuzzMergeJobs(f *testing.F) {
	f.Add([]byte("- name: a\n  image: x\n# c\n- name: bot\n  image: y\n"), "bot")
	f.Fuzz(func(t *testing.T, existing []byte, name string) {
		n := JobNameFrom(name)
		if n == "" {
			n = "bot"
		}
		job := testJob(n)
		got, err := MergeJobs(existing, job)
		if err != nil {
			var me *MergeError
			if !errors.As(err, &me) && !strings.Contains(err.Error(), "nothing was written") {
				t.Fatalf("unexpected kind of error: %v", err)
			}
			return
		}
		checkMerge(t, existing, got, job)
		again, err := MergeJobs(got, job)
		if err != nil || !bytes.Equal(again, got) {
			t.Fatalf("merging again: %v\n%q\n%q", err, got, again)
		}
	})
}
