package export

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
	"mvdan.cc/sh/v3/syntax"

	"github.com/mkdaemon/mkdaemon/internal/shell"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// Job is one entry of a Toolforge jobs.yaml, the file `toolforge jobs
// load` syncs: a continuous job, which the jobs framework runs as a
// Kubernetes Deployment and restarts whenever its process exits.
//
// Its keys, in this order: name, command, image, continuous, emails, and
// filelog-stdout and filelog-stderr only when the daemon has a log file.
// Everything else (mem, cpu, retry, ...) is left to the framework's
// defaults.
type Job struct {
	Name       string
	Command    string // run by /bin/sh -c in the tool's home directory
	Image      string
	Continuous bool
	Emails     string
	// FilelogStdout and FilelogStderr are where the framework appends the
	// job's output; "" leaves its default.
	FilelogStdout string
	FilelogStderr string
}

// ToolforgeOptions are the choices the Spec does not make.
type ToolforgeOptions struct {
	JobName string // "" derives it from the daemon's name (DefaultJobName)
	Image   string // "" picks one from the script's language (DefaultImage)
	Emails  string // "" means DefaultEmails
}

// DefaultEmails: a continuous job only ends by failing, and cron used to
// mail the owner whatever went wrong; onfailure keeps that habit without
// a mail for every deliberate restart.
const DefaultEmails = "onfailure"

// EmailsValues are what the jobs framework accepts for emails.
var EmailsValues = []string{"none", "all", "onfinish", "onfailure"}

// MaxJobName is the jobs framework's limit on a job name.
const MaxJobName = 52

var jobNameRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`) })

// CheckJobName reports why name is not a valid job name: an RFC 1123 label
// (lowercase letters, digits and -, starting and ending with a letter or
// digit) of at most MaxJobName characters.
func CheckJobName(name string) error {
	switch {
	case name == "":
		return errors.New("is empty")
	case len(name) > MaxJobName:
		return fmt.Errorf("is %d characters; Toolforge allows at most %d", len(name), MaxJobName)
	case !jobNameRE().MatchString(name):
		return errors.New("is not an RFC 1123 label: use lowercase letters, digits and -, starting and ending with a letter or digit")
	}
	return nil
}

// JobNameFrom turns any name into a job name: lowercased, _ and . turned
// into -, other characters dropped, - trimmed from both ends, cut to
// MaxJobName. It returns "" when nothing is left.
func JobNameFrom(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9', r == '-':
			b.WriteRune(r)
		case r == '_' || r == '.':
			b.WriteByte('-')
		}
	}
	n := strings.Trim(b.String(), "-")
	if len(n) > MaxJobName {
		n = strings.TrimRight(n[:MaxJobName], "-")
	}
	return n
}

// DefaultJobName derives the job name from the daemon's process name, or
// from the program's file name when that leaves nothing.
func DefaultJobName(s spec.Spec) string {
	if n := JobNameFrom(s.Name); n != "" {
		return n
	}
	return JobNameFrom(filepath.Base(s.Program))
}

// Images Toolforge offers for each script language; DefaultImage picks
// from them.
const (
	ImagePython = "python3.11"
	ImagePerl   = "perl5.36"
	ImagePHP    = "php8.2"
	ImageBase   = "bookworm" // plain Debian: compiled programs and shell scripts
)

// DefaultImage picks the image for program from its #! line (the
// interpreter, or the command after env) or else its file extension.
func DefaultImage(program string) string {
	switch ScriptLanguage(program) {
	case "python":
		return ImagePython
	case "perl":
		return ImagePerl
	case "php":
		return ImagePHP
	}
	return ImageBase
}

// ScriptLanguage returns "python", "perl", "php" or "" for program.
func ScriptLanguage(program string) string {
	if lang := languageOf(shebangCommand(program)); lang != "" {
		return lang
	}
	switch strings.ToLower(filepath.Ext(program)) {
	case ".py":
		return "python"
	case ".pl", ".pm":
		return "perl"
	case ".php":
		return "php"
	}
	return ""
}

func languageOf(interpreter string) string {
	base := filepath.Base(interpreter)
	for _, lang := range []string{"python", "perl", "php"} {
		if strings.HasPrefix(base, lang) {
			return lang
		}
	}
	return ""
}

// shebangCommand returns the interpreter of a #! line, looking through
// env (its options and VAR=value words are skipped); "" when there is none.
func shebangCommand(program string) string {
	f, err := os.Open(program)
	if err != nil {
		return ""
	}
	defer f.Close()
	line, _ := bufio.NewReaderSize(f, 512).ReadSlice('\n')
	if !bytes.HasPrefix(line, []byte("#!")) {
		return ""
	}
	fields := strings.Fields(string(line[2:]))
	if len(fields) == 0 {
		return ""
	}
	if filepath.Base(fields[0]) != "env" {
		return fields[0]
	}
	for _, w := range fields[1:] {
		if !strings.HasPrefix(w, "-") && !strings.Contains(w, "=") {
			return w
		}
	}
	return ""
}

// Toolforge renders s as a continuous job. Errors are *spec.Error: the
// input cannot make a working job.
func Toolforge(s spec.Spec, opts ToolforgeOptions) (Job, error) {
	name := opts.JobName
	if name == "" {
		name = DefaultJobName(s)
		if name == "" {
			return Job{}, &spec.Error{Flag: "--job-name", Msg: fmt.Sprintf("cannot derive a Toolforge job name from the name %q", s.Name),
				Hint: "give one with --job-name, for example --job-name mybot"}
		}
	} else if err := CheckJobName(name); err != nil {
		e := &spec.Error{Flag: "--job-name", Value: name, Msg: err.Error()}
		if fix := JobNameFrom(name); fix != "" {
			e.Hint = "use --job-name " + fix
		} else {
			e.Hint = "use lowercase letters, digits and -, for example --job-name mybot"
		}
		return Job{}, e
	}

	image := opts.Image
	if image == "" {
		image = DefaultImage(s.Program)
	} else if strings.ContainsFunc(image, func(r rune) bool { return r <= ' ' || r == 0x7f }) || !utf8.ValidString(image) {
		return Job{}, &spec.Error{Flag: "--image", Value: image, Msg: "is not an image name",
			Hint: "list the images with: toolforge images"}
	}

	emails := opts.Emails
	if emails == "" {
		emails = DefaultEmails
	} else if !contains(EmailsValues, emails) {
		return Job{}, &spec.Error{Msg: fmt.Sprintf("emails %q is not one of %s", emails, strings.Join(EmailsValues, ", "))}
	}

	cmd := ForegroundCommand(s)
	if !cmd.Foreground {
		return Job{}, &spec.Error{Flag: "--program", Value: s.Program,
			Msg:  "daemonizes itself (--daemonizes), but a Toolforge continuous job must stay in the foreground: Kubernetes restarts the job as soon as its first process exits",
			Hint: "if the program has an option to stay in the foreground, pass it after -- and leave out --daemonizes; skeletons from mkdaemon scaffold get --foreground automatically"}
	}
	command, err := toolforgeCommand(cmd.Argv, s.Chdir)
	if err != nil {
		return Job{}, err
	}

	j := Job{Name: name, Command: command, Image: image, Continuous: true, Emails: emails}
	if s.Log != "" {
		// The framework writes `exec 1>>PATH` into its shell command
		// without quoting PATH.
		if q, err := syntax.Quote(s.Log, syntax.LangPOSIX); err != nil || q != s.Log || !utf8.ValidString(s.Log) {
			return Job{}, &spec.Error{Flag: "--log", Value: s.Log,
				Msg:  "cannot be a Toolforge log file: the jobs framework puts it into a shell command unquoted",
				Hint: "choose a path of letters, digits and / . _ - only"}
		}
		j.FilelogStdout, j.FilelogStderr = s.Log, s.Log
	}
	return j, nil
}

// toolforgeCommand writes argv as the sh command the jobs framework runs,
// in dir when one is given (the framework starts in the tool's home).
func toolforgeCommand(argv []string, dir string) (string, error) {
	words := make([]string, 0, len(argv)+3)
	if dir != "" {
		q, err := shQuote(dir)
		if err != nil {
			return "", &spec.Error{Flag: "--chdir", Value: dir, Msg: err.Error()}
		}
		words = append(words, "cd", q, "&&")
	}
	for i, a := range argv {
		q, err := shQuote(a)
		if err != nil {
			what := "--program"
			if i > 0 {
				what = fmt.Sprintf("program argument %d", i)
			}
			return "", &spec.Error{Flag: what, Value: a, Msg: err.Error()}
		}
		words = append(words, q)
	}
	return strings.Join(words, " "), nil
}

// shQuote quotes one word for /bin/sh. jobs.yaml is text, so the word
// must be UTF-8, and no sh word can hold a NUL.
func shQuote(w string) (string, error) {
	if !utf8.ValidString(w) {
		return "", errors.New("is not valid UTF-8, and jobs.yaml can only hold text")
	}
	if strings.IndexByte(w, 0) >= 0 {
		return "", errors.New("contains a NUL byte, which no command line can hold")
	}
	return shell.Quote(w), nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Keys returns the job's jobs.yaml keys in the order they are written.
func (j Job) Keys() []string {
	keys := []string{"name", "command", "image", "continuous", "emails"}
	if j.FilelogStdout != "" {
		keys = append(keys, "filelog-stdout")
	}
	if j.FilelogStderr != "" {
		keys = append(keys, "filelog-stderr")
	}
	return keys
}

// Value is the job as a YAML parser returns it, for comparisons.
func (j Job) Value() map[string]any {
	m := map[string]any{"name": j.Name, "command": j.Command, "image": j.Image, "continuous": j.Continuous, "emails": j.Emails}
	if j.FilelogStdout != "" {
		m["filelog-stdout"] = j.FilelogStdout
	}
	if j.FilelogStderr != "" {
		m["filelog-stderr"] = j.FilelogStderr
	}
	return m
}

func (j Job) node() *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode}
	add := func(k string, v *yaml.Node) {
		m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k}, v)
	}
	vals := map[string]string{"name": j.Name, "command": j.Command, "image": j.Image, "emails": j.Emails,
		"filelog-stdout": j.FilelogStdout, "filelog-stderr": j.FilelogStderr}
	for _, k := range j.Keys() {
		if k == "continuous" {
			add(k, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: fmt.Sprint(j.Continuous)})
			continue
		}
		add(k, strNode(vals[k]))
	}
	return m
}

// strNode is a string scalar that every YAML parser reads back as that
// string. The toolforge command reads jobs.yaml with PyYAML, which follows
// YAML 1.1: there yes, on, off, 0x1f, 1:30 and 2024-01-01 are not strings.
// Anything beyond a conservative plain form is double quoted.
func strNode(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if !plainSafe(s) {
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

var yaml11Words = map[string]bool{
	"y": true, "n": true, "yes": true, "no": true, "on": true, "off": true,
	"true": true, "false": true, "null": true,
}

func plainSafe(s string) bool {
	if s == "" || yaml11Words[strings.ToLower(s)] {
		return false
	}
	c := s[0]
	if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '/' || c == '_') {
		return false // digits, signs and dots start numbers and dates
	}
	if strings.HasSuffix(s, " ") || strings.Contains(s, "  ") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("/_.,+=@%- ", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// Check reports why j cannot be written to a jobs.yaml.
func (j Job) Check() error {
	if err := CheckJobName(j.Name); err != nil {
		return fmt.Errorf("job name %q %v", j.Name, err)
	}
	if j.Command == "" || j.Image == "" {
		return fmt.Errorf("job %s needs a command and an image", j.Name)
	}
	if !contains(EmailsValues, j.Emails) {
		return fmt.Errorf("job %s: emails %q is not one of %s", j.Name, j.Emails, strings.Join(EmailsValues, ", "))
	}
	for _, v := range []string{j.Command, j.Image, j.FilelogStdout, j.FilelogStderr} {
		if !utf8.ValidString(v) {
			return fmt.Errorf("job %s: %q is not valid UTF-8", j.Name, v)
		}
	}
	return nil
}

// itemText is the job as one block-sequence item ("- name: ...") with
// every line indented by indent and ended by nl.
func (j Job) itemText(indent, nl string) ([]byte, error) {
	if err := j.Check(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{j.node()}}); err != nil {
		return nil, fmt.Errorf("encoding job %s: %w", j.Name, err)
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	for _, line := range strings.SplitAfter(buf.String(), "\n") {
		if line == "" {
			continue
		}
		line = strings.TrimSuffix(line, "\n")
		if line != "" {
			out.WriteString(indent)
		}
		out.WriteString(line)
		out.WriteString(nl)
	}
	return out.Bytes(), nil
}

// JobsYAML is a jobs.yaml holding the given jobs, for `toolforge jobs
// load`.
func JobsYAML(jobs ...Job) ([]byte, error) {
	var out []byte
	for _, j := range jobs {
		t, err := j.itemText("", "\n")
		if err != nil {
			return nil, err
		}
		out = append(out, t...)
	}
	return out, nil
}
