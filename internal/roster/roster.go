// Package roster maps children's records to the roster spreadsheet (花名册)
// that schools and education bureaus exchange, and back: it owns the column
// list, the header and value vocabularies (Chinese, English and the common
// variants found in real rosters), the .xlsx and .csv codecs, and the plan of
// an import (which child files to create or edit, and every problem with
// every row). It never touches the file system: the cli package reads the
// input and writes the planned files.
package roster

import (
	"strings"
	"unicode"

	"golang.org/x/text/width"

	"github.com/care-tool/care/internal/i18n"
)

// Field is one roster column, whatever its header says.
type Field int

// The roster fields, in export order. FieldGuardianAddress is not exported
// (the roster has no such column) but is read when a sheet has it.
const (
	FieldSeq Field = iota
	FieldID
	FieldName
	FieldGender
	FieldBirthDate
	FieldIDNumber
	FieldClass
	FieldBoarding
	FieldAddress
	FieldHealth
	FieldLBType
	FieldFatherName
	FieldFatherPhone
	FieldFatherWork
	FieldMotherName
	FieldMotherPhone
	FieldMotherWork
	FieldGuardianName
	FieldGuardianRelation
	FieldGuardianAge
	FieldGuardianOccupation
	FieldGuardianPhone
	FieldGuardianHealth
	FieldSince
	FieldEnrolDate
	FieldStatus
	FieldComplete

	// Extra columns that an import reads when a sheet has them.
	FieldGuardianAddress
	FieldFatherEmployer
	FieldMotherEmployer
	numFields
)

// numExported is the number of roster columns that export writes.
const numExported = FieldGuardianAddress

// kind says how a column's cells are written and read.
type kind int

const (
	kindText  kind = iota
	kindCode       // an identifier or number that must stay text (ids, phones, id numbers)
	kindDate       // a real date
	kindInt        // a whole number
	kindLabel      // an enum shown as a word (性别, 是/否, …)
)

type column struct {
	field   Field
	zh, en  string
	kind    kind
	aliases []string // other headers that mean this column (normalised by normHeader)
}

// columns lists every field; the first numExported are the roster's columns
// in order.
var columns = [numFields]column{
	{FieldSeq, "序号", "No.", kindInt, []string{"序", "#", "no", "number", "seq"}},
	{FieldID, "学号", "Id", kindCode, []string{"学生编号", "儿童编号", "编号", "学籍号", "学生学号", "studentid", "childid", "studentno"}},
	{FieldName, "姓名", "Name", kindText, []string{"儿童姓名", "学生姓名", "留守儿童姓名", "名字", "childname", "studentname"}},
	{FieldGender, "性别", "Gender", kindLabel, []string{"sex"}},
	{FieldBirthDate, "出生日期", "Birth date", kindDate, []string{"出生年月", "出生年月日", "出生时间", "生日", "dateofbirth", "dob", "birthday", "birth"}},
	{FieldIDNumber, "身份证号", "Id number", kindCode, []string{"身份证号码", "身份证", "公民身份号码", "身份号码", "证件号码", "证件号", "idno", "idcard", "idcardnumber"}},
	{FieldClass, "班级", "Class", kindCode, []string{"班级名称", "所在班级", "班别", "班级编号", "年级班级", "classname", "classid"}},
	{FieldBoarding, "是否寄宿", "Boarding", kindLabel, []string{"寄宿", "是否住校", "住校", "是否寄宿生", "寄宿生", "是否住宿", "住宿", "boarder"}},
	{FieldAddress, "家庭住址", "Address", kindText, []string{"家庭地址", "住址", "家庭详细住址", "家庭详细地址", "现住址", "居住地址", "familyaddress", "homeaddress"}},
	{FieldHealth, "健康状况", "Health", kindText, []string{"身体状况", "健康情况", "身体健康状况", "儿童健康状况"}},
	{FieldLBType, "留守类型", "Left-behind type", kindLabel, []string{"留守情况", "留守儿童类型", "留守类别", "类型", "lefttype"}},
	{FieldFatherName, "父亲姓名", "Father's name", kindText, []string{"父亲", "父亲名字", "father", "fathername"}},
	{FieldFatherPhone, "父亲电话", "Father's phone", kindCode, []string{"父亲联系电话", "父亲手机", "父亲手机号", "父亲手机号码", "父亲电话号码", "父亲联系方式", "fatherphone", "fathersmobile"}},
	{FieldFatherWork, "父亲务工地址", "Father's work address", kindText, []string{"父亲务工地点", "父亲务工详细地址", "父亲外出务工地址", "父亲外出务工地点", "父亲打工地址", "父亲工作地址", "父亲务工地", "fatherworkaddress", "fatherswork"}},
	{FieldMotherName, "母亲姓名", "Mother's name", kindText, []string{"母亲", "母亲名字", "mother", "mothername"}},
	{FieldMotherPhone, "母亲电话", "Mother's phone", kindCode, []string{"母亲联系电话", "母亲手机", "母亲手机号", "母亲手机号码", "母亲电话号码", "母亲联系方式", "motherphone", "mothersmobile"}},
	{FieldMotherWork, "母亲务工地址", "Mother's work address", kindText, []string{"母亲务工地点", "母亲务工详细地址", "母亲外出务工地址", "母亲外出务工地点", "母亲打工地址", "母亲工作地址", "母亲务工地", "motherworkaddress", "motherswork"}},
	{FieldGuardianName, "监护人姓名", "Guardian's name", kindText, []string{"监护人", "委托监护人", "委托监护人姓名", "guardian", "guardianname"}},
	{FieldGuardianRelation, "与儿童关系", "Guardian's relation", kindLabel, []string{"监护人与儿童关系", "与学生关系", "与孩子关系", "与儿童的关系", "与本人关系", "监护人关系", "监护人与学生关系", "关系", "relation", "relationship", "guardianrelationship"}},
	{FieldGuardianAge, "监护人年龄", "Guardian's age", kindInt, []string{"guardianage"}},
	{FieldGuardianOccupation, "监护人职业", "Guardian's occupation", kindText, []string{"监护人工作", "guardianjob", "guardianoccupation"}},
	{FieldGuardianPhone, "监护人电话", "Guardian's phone", kindCode, []string{"监护人联系电话", "监护人手机", "监护人手机号", "监护人手机号码", "监护人电话号码", "监护人联系方式", "联系电话", "手机号", "手机号码", "电话号码", "电话", "手机", "联系方式", "家长电话", "家长联系电话", "phone", "mobile", "telephone", "tel", "contactphone"}},
	{FieldGuardianHealth, "监护人健康状况", "Guardian's health", kindText, []string{"监护人身体状况", "监护人健康", "监护人身体健康状况"}},
	{FieldSince, "留守起始日期", "Left behind since", kindDate, []string{"留守开始日期", "留守起始时间", "留守开始时间", "认定日期", "认定留守日期", "留守认定日期", "留守日期", "留守时间", "since", "leftbehinddate"}},
	{FieldEnrolDate, "入学日期", "Enrolment date", kindDate, []string{"入学时间", "入校日期", "入校时间", "入学年月", "enrollmentdate", "enroldate", "enrolled"}},
	{FieldStatus, "在校状态", "Status", kindLabel, []string{"学籍状态", "在校情况", "就读状态", "在读状态", "在校状况", "enrolmentstatus", "enrollmentstatus", "schoolstatus"}},
	{FieldComplete, "建档是否完整", "File complete", kindLabel, []string{"建档完整", "档案是否完整", "档案完整", "是否建档完整", "complete", "filecomplete"}},
	{FieldGuardianAddress, "监护人住址", "Guardian's address", kindText, []string{"监护人地址", "监护人家庭住址", "监护人居住地址", "guardianaddress"}},
	{FieldFatherEmployer, "父亲务工单位", "Father's employer", kindText, []string{"父亲工作单位", "fatheremployer"}},
	{FieldMotherEmployer, "母亲务工单位", "Mother's employer", kindText, []string{"母亲工作单位", "motheremployer"}},
}

// Header returns the roster's column headers in order, in Chinese or, for
// i18n.En, in English.
func Header(l i18n.Lang) []string {
	out := make([]string, numExported)
	for i := range out {
		out[i] = columns[i].label(l)
	}
	return out
}

func (c column) label(l i18n.Lang) string {
	if l == i18n.En {
		return c.en
	}
	return c.zh
}

// Label returns the Chinese header of field f (the one import messages use
// when a sheet has no column for f).
func (f Field) Label() string {
	if f < 0 || f >= numFields {
		return ""
	}
	return columns[f].zh
}

// headerIndex maps each normalised header (the Chinese and English names and
// every alias) to its field. exact marks the canonical names, which win over
// aliases when a sheet has both.
func headerIndex() (idx map[string]Field, exact map[string]bool) {
	idx, exact = map[string]Field{}, map[string]bool{}
	for _, c := range columns {
		for _, h := range []string{c.zh, c.en} {
			idx[normHeader(h)] = c.field
			exact[normHeader(h)] = true
		}
		for _, a := range c.aliases {
			if _, ok := idx[normHeader(a)]; !ok {
				idx[normHeader(a)] = c.field
			}
		}
	}
	return idx, exact
}

// normHeader folds a header to a key: full-width to half-width, lower case,
// without spaces, marks such as * and ：, and without a bracketed note such as
// "（必填）" or "(yyyy-mm-dd)".
func normHeader(s string) string {
	s = width.Fold.String(s)
	var b strings.Builder
	depth := 0
	for _, r := range strings.ToLower(s) {
		switch {
		case r == '(' || r == '[' || r == '【' || r == '<':
			depth++
		case r == ')' || r == ']' || r == '】' || r == '>':
			if depth > 0 {
				depth--
			}
		case depth > 0:
		case unicode.IsSpace(r), r == '*', r == ':', r == '_', r == '-', r == '\'', r == '’', r == '.', r == '/', r == '、':
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// A label is one enum value with the words that mean it.
type label struct {
	value  string // the record's enum value
	zh, en string // how the roster shows it
	words  []string
}

var genders = []label{
	{"male", "男", "male", []string{"男", "男性", "男生", "男孩", "m", "male", "boy"}},
	{"female", "女", "female", []string{"女", "女性", "女生", "女孩", "f", "female", "girl"}},
}

var yesNo = []label{
	{"true", "是", "yes", []string{"是", "有", "√", "✓", "✔", "y", "yes", "true", "1", "寄宿", "住校", "寄宿生"}},
	{"false", "否", "no", []string{"否", "无", "不是", "×", "✗", "n", "no", "false", "0", "走读", "不寄宿", "非寄宿", "走读生"}},
}

var lbTypes = []label{
	{"both_parents", "双亲外出", "both parents away", []string{"双亲外出", "双亲", "父母双方外出", "父母双方", "双方外出", "父母均外出", "父母都外出", "父母外出", "双亲外出务工", "父母双方外出务工", "bothparents", "bothparentsaway", "both"}},
	{"one_parent", "单亲外出", "one parent away", []string{"单亲外出", "单亲", "父母一方外出", "一方外出", "单方外出", "父亲外出", "母亲外出", "父或母外出", "单亲外出务工", "父母一方外出务工", "oneparent", "oneparentaway", "one"}},
}

var parentRelations = []label{
	{"father", "父亲", "father", []string{"父亲", "父", "爸爸", "father"}},
	{"mother", "母亲", "mother", []string{"母亲", "母", "妈妈", "mother"}},
}

var guardianRelations = []label{
	{"grandfather", "祖父", "grandfather", []string{"祖父", "爷爷", "外祖父", "外公", "姥爷", "祖父外祖父", "grandfather", "grandpa"}},
	{"grandmother", "祖母", "grandmother", []string{"祖母", "奶奶", "外祖母", "外婆", "姥姥", "祖母外祖母", "grandmother", "grandma"}},
	{"father", "父亲", "father", []string{"父亲", "父", "爸爸", "father"}},
	{"mother", "母亲", "mother", []string{"母亲", "母", "妈妈", "mother"}},
	{"relative", "其他亲属", "relative", []string{"其他亲属", "亲属", "亲戚", "叔叔", "伯父", "伯伯", "叔父", "婶婶", "伯母", "姑姑", "姑妈", "姑父", "舅舅", "舅妈", "姨妈", "阿姨", "小姨", "姨父", "哥哥", "姐姐", "兄", "姐", "曾祖父", "曾祖母", "relative"}},
	{"other", "其他", "other", []string{"其他", "其它", "其他人", "邻居", "朋友", "other"}},
}

// statuses are the enrolment statuses as the 在校状态 column shows them;
// "none" stands for a child with no enrolment event yet (未入学).
var statuses = []label{
	{"enrolled", "在读", "enrolled", []string{"在读", "在校", "在籍", "就读", "在读生", "正常", "enrolled", "enrolment", "inschool"}},
	{"suspended", "休学", "suspended", []string{"休学", "suspended"}},
	{"dropped_out", "辍学", "dropped out", []string{"辍学", "失学", "dropped out", "droppedout", "dropout"}},
	{"transferred_out", "转出", "transferred out", []string{"转出", "转学", "transferred out", "transferredout"}},
	{"graduated", "毕业", "graduated", []string{"毕业", "graduated"}},
	{"deceased", "死亡", "deceased", []string{"死亡", "去世", "身故", "deceased"}},
	{"none", "未入学", "not enrolled", []string{"未入学", "未上学", "未就学", "not enrolled", "notenrolled", "none"}},
}

// lookup finds the label a cell's text means. Text is compared after
// folding width and case and dropping spaces.
func lookup(labels []label, s string) (label, bool) {
	k := normWord(s)
	for _, l := range labels {
		if k == normWord(l.value) || k == normWord(l.zh) || k == normWord(l.en) {
			return l, true
		}
		for _, w := range l.words {
			if k == normWord(w) {
				return l, true
			}
		}
	}
	return label{}, false
}

func normWord(s string) string {
	s = strings.ToLower(width.Fold.String(s))
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '_' || r == '-' {
			return -1
		}
		return r
	}, s)
}

func showLabel(labels []label, value string, l i18n.Lang) string {
	for _, x := range labels {
		if x.value == value {
			if l == i18n.En {
				return x.en
			}
			return x.zh
		}
	}
	return value
}

func wordList(labels []label, l i18n.Lang) string {
	var parts []string
	for _, x := range labels {
		if l == i18n.En {
			parts = append(parts, x.en)
		} else {
			parts = append(parts, x.zh)
		}
	}
	if l == i18n.En {
		return strings.Join(parts, ", ")
	}
	return strings.Join(parts, "、")
}
