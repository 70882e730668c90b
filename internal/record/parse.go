package record

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/care-tool/care/internal/diag"
	"github.com/care-tool/care/internal/i18n"
)

// MaxExpandedNodes bounds the number of values a file may expand to once its
// aliases are followed, so that an alias bomb ("billion laughs") is refused
// in linear time and bounded memory.
const MaxExpandedNodes = 100_000

// MaxFileSize bounds the size of a record file. Real records are a few
// kilobytes; anything this large is a mistake.
const MaxFileSize = 4 << 20

// CheckYAML is the check name of problems found while reading a file.
const CheckYAML = "yaml"

// Parse parses the content of the record file at path (a slash path relative
// to the repository root) into a File. Problems that stop the file from being
// read as one YAML mapping are returned as diagnostics and leave File.Doc nil.
// Duplicate keys are reported too, but do not stop the file being read.
func Parse(path string, kind Kind, data []byte) (*File, []diag.Diagnostic) {
	sum := sha256.Sum256(data)
	f := &File{Path: path, Kind: kind, Hash: hex.EncodeToString(sum[:])}
	bad := func(line, col int, msg, hint i18n.Text) (*File, []diag.Diagnostic) {
		return f, []diag.Diagnostic{{File: path, Line: line, Column: col, Check: CheckYAML, Message: msg, Hint: hint}}
	}
	if len(data) > MaxFileSize {
		return bad(0, 0, i18n.Tf("文件过大（超过 %d MB），不像一份记录", "file is too large (over %d MB) to be a record", MaxFileSize>>20),
			i18n.T("一份记录只有几千字节；请检查是否放错了文件", "a record is a few kilobytes; check that the right file is here"))
	}
	if bytes.HasPrefix(data, []byte("\xff\xfe")) || bytes.HasPrefix(data, []byte("\xfe\xff")) {
		return bad(0, 0, i18n.T("文件是 UTF-16 编码（记事本的“Unicode”），不是 UTF-8", "file is UTF-16 encoded (Notepad's \"Unicode\"), not UTF-8"),
			i18n.Tf("转换成 UTF-8：iconv -f UTF-16 -t UTF-8 %[1]s > tmp && mv tmp %[1]s", "convert it with: iconv -f UTF-16 -t UTF-8 %[1]s > tmp && mv tmp %[1]s", path))
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if i := bytes.IndexByte(data, 0); i >= 0 {
		line, col := offsetPos(data, i)
		return bad(line, col, i18n.T("这是二进制文件，不是 YAML 文本", "this is a binary file, not YAML text"),
			i18n.T("记录必须是 UTF-8 编码的 YAML 文本；请删除或移走这个文件", "records must be UTF-8 YAML text; remove or move this file"))
	}
	if !utf8.Valid(data) {
		i := firstInvalidUTF8(data)
		line, col := offsetPos(data, i)
		return bad(line, col, i18n.T("文件不是 UTF-8 编码", "file is not UTF-8 encoded"),
			i18n.Tf("如果是 GBK 编码，可以这样转换：iconv -f GBK -t UTF-8 %s > tmp && mv tmp %[1]s", "if it is GBK, convert it with: iconv -f GBK -t UTF-8 %[1]s > tmp && mv tmp %[1]s", path))
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return bad(0, 0, i18n.T("文件是空的", "file is empty"),
			i18n.T("填写记录内容，或删除这个文件", "fill in the record or delete the file"))
	}
	data = yaml12Directive(data)
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return bad(0, 0, i18n.T("文件里只有注释，没有内容", "file holds only comments, no content"),
				i18n.T("填写记录内容，或删除这个文件", "fill in the record or delete the file"))
		}
		return syntaxError(f, data, err)
	}
	var second yaml.Node
	if err := dec.Decode(&second); err == nil {
		line := second.Line
		lines := bytes.Split(data, []byte("\n"))
		for l := line; l >= 1 && l <= len(lines); l-- {
			if bytes.HasPrefix(lines[l-1], []byte("---")) {
				line = l // point at the "---" that starts the second document
				break
			}
		}
		return bad(line, 1, i18n.T("一个文件里有多个 YAML 文档（---）", "file holds several YAML documents (---)"),
			i18n.T("每个文件只放一份记录；把其余文档分到各自的文件里", "keep one record per file; move the other documents to files of their own"))
	} else if !errors.Is(err, io.EOF) {
		return syntaxError(f, data, err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return bad(1, 1, i18n.T("文件没有内容", "file has no content"), i18n.Text{})
	}
	top := doc.Content[0]
	// Without a "*" in the text there is no alias, so no node is shared and
	// the walks below need no memo: the maps cost more than the walks.
	var memo map[*yaml.Node]int
	var seen map[*yaml.Node]bool
	if bytes.IndexByte(data, '*') >= 0 {
		memo, seen = map[*yaml.Node]int{}, map[*yaml.Node]bool{}
	}
	if top.Kind == yaml.ScalarNode && top.Tag == "!!null" && top.Style&yaml.TaggedStyle == 0 {
		return bad(0, 0, i18n.T("文件是空的", "file is empty"),
			i18n.T("填写记录内容，或删除这个文件", "fill in the record or delete the file"))
	}
	if n, ok := expandedSize(top, memo, 0); memo == nil && (!ok || n > MaxExpandedNodes) {
		return bad(top.Line, top.Column, i18n.Tf("文件中的值太多（超过 %d 个）或嵌套太深，不像一份记录", "file holds too many values (over %d) or is nested too deeply to be a record", MaxExpandedNodes),
			i18n.T("一份记录只有几十个字段；请检查是否放错了文件", "a record has a few dozen fields; check that the right file is here"))
	} else if !ok || n > MaxExpandedNodes {
		return bad(top.Line, top.Column, i18n.T("锚点和别名（&、*）展开后过大或循环引用", "anchors and aliases (&, *) expand to too many values or refer to themselves"),
			i18n.T("记录中不需要锚点和别名；请直接写出各个值", "records need no anchors or aliases; write the values out"))
	}
	if resolve(top).Kind != yaml.MappingNode {
		return bad(top.Line, top.Column, i18n.Text{Zh: "文件顶层应是“键: 值”的映射，而不是" + describeKind(top, i18n.Zh), En: "the top level of the file must be a mapping of keys to values, not " + describeKind(top, i18n.En)},
			i18n.T("每行写成“字段: 值”，例如 name: 李小明", "write one \"field: value\" per line, e.g. name: 李小明"))
	}
	f.Doc = resolve(top)
	ds := duplicateKeys(path, f.Doc, seen)
	if bytes.IndexByte(data, '!') >= 0 { // no tag without a "!"
		ds = append(ds, checkTags(path, f.Doc)...)
	}
	if bytes.Contains(data, []byte("<<")) {
		ds = append(ds, flattenMerges(path, f.Doc)...)
	}
	f.Pos = newPosTable(f)
	return f, ds
}

// yaml12Directive returns data with a leading "%YAML 1.2" directive written
// "%YAML 1.1", which is all yaml.v3 accepts (it reads the document the same
// way); the length and so every position stay the same.
func yaml12Directive(data []byte) []byte {
	i := bytes.Index(data, []byte("%YAML 1.2"))
	if i < 0 || i > 0 && data[i-1] != '\n' {
		return data
	}
	// only comments and blank lines may come before a directive
	for _, l := range bytes.Split(data[:i], []byte("\n")) {
		if t := bytes.TrimSpace(l); len(t) > 0 && t[0] != '#' {
			return data
		}
	}
	out := bytes.Clone(data)
	out[i+len("%YAML 1.")] = '1'
	return out
}

func describeKind(n *yaml.Node, l i18n.Lang) string {
	n = resolve(n)
	switch n.Kind {
	case yaml.SequenceNode:
		return l.Pick("列表", "a list")
	case yaml.ScalarNode:
		return l.Pick("单个值", "a single value")
	}
	return l.Pick("其他内容", "something else")
}

var lineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func syntaxError(f *File, data []byte, err error) (*File, []diag.Diagnostic) {
	msg := err.Error()
	line, col := 0, 0
	if m := lineRE.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	lines := bytes.Split(data, []byte("\n"))
	hint := i18n.T("检查这一行及上一行的缩进、冒号和引号", "check the indentation, colons and quotes on this line and the one before")
	tabHint := i18n.T("YAML 不能用制表符（Tab）缩进；请改用空格", "YAML cannot be indented with tabs; use spaces")
	quoteHint := i18n.T("有未闭合的引号；补上结尾的引号", "a quote is not closed; add the closing quote")
	quoteMsg := strings.Contains(msg, "found unexpected end of stream") || strings.Contains(msg, "did not find expected") && strings.Contains(msg, "quote")
	if i := controlChar(data); i >= 0 && strings.Contains(msg, "control characters") {
		line, col = offsetPos(data, i)
		hint = i18n.T("删除这个不可见的控制字符", "remove the invisible control character")
	} else if m := unknownAnchorRE.FindStringSubmatch(msg); m != nil {
		if i := bytes.Index(data, []byte("*"+m[1])); i >= 0 {
			line, col = offsetPos(data, i)
		}
		hint = i18n.Tf("没有定义锚点 &%s；记录中不需要锚点和别名，请直接写出值", "no anchor &%s is defined; records need no anchors or aliases, write the value out", m[1])
	} else if l := errorLine(data, msg); l > 0 {
		// the first line at which the file fails: where the mistake is
		line, col = l, 0
		text := bytes.TrimSuffix(lines[l-1], []byte("\r"))
		if i := bytes.IndexByte(text, '\t'); i >= 0 && onlySpaceBefore(text, i) {
			col, hint = utf8.RuneCount(text[:i])+1, tabHint
		} else if c := unclosedQuote(text); c > 0 && quoteMsg {
			col, hint = c, quoteHint
		} else if c := unclosedFlow(text, '['); c > 0 && strings.Contains(msg, "']'") {
			col, hint = c, i18n.T("方括号 [ 没有闭合；补上 ]", "a [ is not closed; add the ]")
		} else if c := unclosedFlow(text, '{'); c > 0 && strings.Contains(msg, "'}'") {
			col, hint = c, i18n.T("花括号 { 没有闭合；补上 }", "a { is not closed; add the }")
		} else if i := badEscape(text); i >= 0 && strings.Contains(msg, "unknown escape") {
			col = utf8.RuneCount(text[:i]) + 1
			hint = i18n.T("双引号里的反斜杠 \\ 表示转义；改用单引号，或写成 \\\\", "in double quotes a backslash starts an escape; use single quotes, or write \\\\")
		} else if i := secondColon(text); i >= 0 && strings.Contains(msg, "mapping values are not allowed") {
			col = utf8.RuneCount(text[:i]) + 1
			hint = i18n.T("值里有“: ”时，要把整个值放在引号里", "put the value in quotes when it holds a colon followed by a space")
		} else {
			col = firstNonSpace(text)
			if strings.Contains(msg, "tab") {
				hint = tabHint
			}
		}
	}
	if col == 0 && line > 0 && line <= len(lines) {
		col = 1
		// yaml.v3 reports a tab on the line where the token began; find the
		// tab itself on that line or the next ones.
		for l := line; l <= len(lines) && l <= line+2; l++ {
			if i := bytes.IndexByte(lines[l-1], '\t'); i >= 0 && onlySpaceBefore(lines[l-1], i) && (l == line || strings.Contains(msg, "tab")) {
				line, col = l, utf8.RuneCount(lines[l-1][:i])+1
				hint = tabHint
				break
			}
		}
	}
	if line == 0 {
		// Errors such as tabs are sometimes reported without a line; find the first tab used for indentation.
		for i, l := range lines {
			if j := bytes.IndexByte(l, '\t'); j >= 0 && onlySpaceBefore(l, j) {
				line, col = i+1, utf8.RuneCount(l[:j])+1
				hint = tabHint
				break
			}
		}
	}
	if quoteMsg && hint != tabHint {
		hint = quoteHint
	}
	if line > 0 && line <= len(lines) && bytes.Contains(lines[line-1], []byte("：")) && (strings.Contains(msg, "expected ':'") || strings.Contains(msg, "expected key")) {
		if i := bytes.Index(lines[line-1], []byte("：")); i >= 0 {
			col = utf8.RuneCount(lines[line-1][:i]) + 1
		}
		hint = i18n.T("字段名后面要用英文冒号“:”加空格，不能用中文冒号“：”", "write an ASCII colon and a space after the field name, not a full-width colon (：)")
	}
	return f, []diag.Diagnostic{{
		File: f.Path, Line: line, Column: col, Check: CheckYAML,
		Message: i18n.T("YAML 语法错误："+zhYAMLError(msg), "YAML syntax error: "+msg),
		Hint:    hint,
	}}
}

func onlySpaceBefore(l []byte, i int) bool {
	for _, b := range l[:i] {
		if b != ' ' && b != '\t' {
			return false
		}
	}
	return true
}

func offsetPos(data []byte, off int) (line, col int) {
	line = 1 + bytes.Count(data[:off], []byte("\n"))
	start := bytes.LastIndexByte(data[:off], '\n') + 1
	col = 1 + utf8.RuneCount(data[start:off])
	return
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return 0
}

// expandedSize counts the values n stands for once aliases are followed,
// memoised per node so that the count takes linear time. It reports false for
// an alias that refers to itself. A nil memo is for a tree without
// aliases, where every node is visited once.
func expandedSize(n *yaml.Node, memo map[*yaml.Node]int, depth int) (int, bool) {
	if n == nil {
		return 0, true
	}
	if depth > 1000 {
		return 0, false
	}
	if v, ok := memo[n]; ok {
		if v < 0 {
			return 0, false // cycle
		}
		return v, true
	}
	if memo != nil {
		memo[n] = -1
	}
	total := 1
	if n.Kind == yaml.AliasNode {
		s, ok := expandedSize(n.Alias, memo, depth+1)
		if !ok {
			return 0, false
		}
		total = s
	}
	for _, c := range n.Content {
		s, ok := expandedSize(c, memo, depth+1)
		if !ok {
			return 0, false
		}
		total += s
		if total > MaxExpandedNodes {
			break
		}
	}
	if memo != nil {
		memo[n] = total
	}
	return total, true
}

// resolve follows alias nodes to the node they stand for.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 100; i++ {
		n = n.Alias
	}
	return n
}

// Resolve follows alias nodes to the node they stand for.
func Resolve(n *yaml.Node) *yaml.Node { return resolve(n) }

func duplicateKeys(path string, n *yaml.Node, seen map[*yaml.Node]bool) []diag.Diagnostic {
	if n == nil || seen[n] || n.Kind == yaml.AliasNode {
		return nil
	}
	if seen != nil { // nil: no aliases, no node is visited twice
		seen[n] = true
	}
	var out []diag.Diagnostic
	if n.Kind == yaml.MappingNode {
		first := map[string]*yaml.Node{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := resolve(n.Content[i])
			if k == nil || k.Kind != yaml.ScalarNode {
				continue
			}
			if a := n.Content[i]; a.Kind == yaml.AliasNode {
				k = &yaml.Node{Kind: k.Kind, Tag: k.Tag, Value: k.Value, Line: a.Line, Column: a.Column}
			}
			if k.Value == "<<" && k.Tag == "!!merge" {
				continue
			}
			if prev, ok := first[k.Value]; ok {
				out = append(out, diag.Diagnostic{
					File: path, Line: k.Line, Column: k.Column, Check: "duplicate-key",
					Message: i18n.Tf("键 %q 重复出现（第一次在第 %d 行）", "key %q is repeated (first at line %d)", k.Value, prev.Line),
					Hint:    i18n.T("合并两处内容，只保留一个", "merge the two and keep one"),
				})
				continue
			}
			first[k.Value] = k
		}
	}
	for _, c := range n.Content {
		out = append(out, duplicateKeys(path, c, seen)...)
	}
	return out
}

// String returns a short description of f for debugging.
func (f *File) String() string { return fmt.Sprintf("%s (%s)", f.Path, f.Kind) }

// yamlErrorsZh translates yaml.v3's syntax error messages (the part after
// "line N: "), the most common first; a message not listed stays English.
var yamlErrorsZh = []struct{ en, zh string }{
	{"found a tab character that violates indentation", "缩进里有制表符（Tab）"},
	{"found a tab character where an indentation space is expected", "应当用空格缩进的地方用了制表符（Tab）"},
	{"found unexpected end of stream", "文件在引号或括号闭合之前就结束了"},
	{"mapping values are not allowed in this context", "这里不能出现“键: 值”（冒号后跟空格）"},
	{"did not find expected key", "这里应当是一个字段名（缩进或冒号可能有误）"},
	{"did not find expected '-' indicator", "这里应当是以“- ”开头的列表项（缩进可能有误）"},
	{"did not find expected node content", "这里缺少值"},
	{"did not find expected ',' or ']'", "方括号列表没有闭合：缺少“,”或“]”"},
	{"did not find expected ',' or '}'", "花括号没有闭合：缺少“,”或“}”"},
	{"could not find expected ':'", "缺少冒号“:”"},
	{"found character that cannot start any token", "这里的字符不能开始一个值或字段（例如制表符 Tab、@ 或 `）"},
	{"found unknown escape character", "双引号里有无效的转义（反斜杠 \\）"},
	{"found undefined tag handle", "未定义的标签"},
	{"did not find expected whitespace or line break", "这里缺少空格或换行"},
	{"did not find expected comment or line break", "这里缺少注释或换行"},
	{"found unexpected document indicator", "值里出现了文档分隔符（--- 或 ...）"},
	{"control characters are not allowed", "文件里有不允许的控制字符"},
	{"found incompatible YAML document", "不兼容的 YAML 版本声明"},
	{"invalid leading UTF-8 octet", "无效的 UTF-8 字节"},
	{"invalid trailing UTF-8 octet", "无效的 UTF-8 字节"},
}

// zhYAMLError returns yaml.v3's message msg in Chinese, keeping the English
// words in brackets so that they can still be looked up.
func zhYAMLError(msg string) string {
	for _, e := range yamlErrorsZh {
		if strings.Contains(msg, e.en) {
			return e.zh + "（" + msg + "）"
		}
	}
	return msg
}
