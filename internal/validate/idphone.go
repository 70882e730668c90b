package validate

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/care-tool/care/internal/record"
)

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCheckChars = "10X98765432"

// IDCheckChar returns the GB 11643 (ISO 7064 MOD 11-2) check character for
// the first 17 digits of an id number.
func IDCheckChar(first17 string) (byte, error) {
	if len(first17) != 17 {
		return 0, fmt.Errorf("need 17 digits, got %d characters", len(first17))
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := first17[i]
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("character %d is not a digit", i+1)
		}
		sum += int(c-'0') * idWeights[i]
	}
	return idCheckChars[sum%11], nil
}

// IDProblem is what is wrong with an id number.
type IDProblem int

// Id number problems.
const (
	IDOK             IDProblem = iota
	IDLength                   // not 18 characters
	IDChars                    // not 17 digits and a digit or X
	IDCheck                    // wrong check character
	IDBadDate                  // digits 7-14 are not a real date
	IDDateMismatch             // birth date disagrees with birth_date
	IDGenderMismatch           // 17th digit parity disagrees with gender
	IDLowerX                   // a lower-case x as check character
)

// IDNumberProblem checks an 18-character resident id number against GB 11643
// and, when given, the birth date and gender ("male"/"female") of the child.
// It returns the first problem found and the birth date the number encodes.
func IDNumberProblem(id string, birth record.Date, gender string) (IDProblem, record.Date) {
	if len(id) != 18 {
		// 18 characters that are not all ASCII (full-width digits), or 18
		// digits with spaces or dashes between them, are the wrong
		// characters rather than the wrong length
		if utf8.RuneCountInString(id) == 18 || len(strings.Map(dropSeparators, id)) == 18 {
			return IDChars, 0
		}
		return IDLength, 0
	}
	for i := 0; i < 17; i++ {
		if id[i] < '0' || id[i] > '9' {
			return IDChars, 0
		}
	}
	last := id[17]
	if last == 'x' {
		return IDLowerX, 0
	}
	if !(last >= '0' && last <= '9' || last == 'X') {
		return IDChars, 0
	}
	want, _ := IDCheckChar(id[:17])
	if last != want {
		return IDCheck, 0
	}
	d, err := record.ParseDate(id[6:10] + "-" + id[10:12] + "-" + id[12:14])
	if err != nil {
		return IDBadDate, 0
	}
	if birth != 0 && d != birth {
		return IDDateMismatch, d
	}
	odd := (id[16]-'0')%2 == 1
	if gender == "male" && !odd || gender == "female" && odd {
		return IDGenderMismatch, d
	}
	return IDOK, d
}

var (
	mobileRE   = regexp.MustCompile(`^1[3-9][0-9]{9}$`)
	landlineRE = regexp.MustCompile(`^0[1-9][0-9]{1,2}-?[1-9][0-9]{6,7}$`)
)

// dropSeparators drops the spaces, dashes, dots and brackets people put
// between groups of digits.
func dropSeparators(r rune) rune {
	switch r {
	case ' ', '-', '.', '(', ')', '（', '）', '\u3000', '\t':
		return -1
	}
	return r
}

// hasFullWidth reports whether s has full-width digits or letters (typed with a
// Chinese input method in full-width mode).
func hasFullWidth(s string) bool {
	for _, r := range s {
		if r >= '０' && r <= '９' || r == 'Ｘ' || r == 'ｘ' || r == '－' {
			return true
		}
	}
	return false
}

// ValidPhone reports whether s is a mainland mobile number (11 digits,
// 1[3-9] then 9 digits) or a landline with its area code (0728-1234567,
// 07281234567, 010-12345678).
func ValidPhone(s string) bool {
	return mobileRE.MatchString(s) || landlineRE.MatchString(s) && len(strings.ReplaceAll(s, "-", "")) <= 12
}

// phoneHint suggests a fix for a phone number that is not valid.
func phoneHint(s string) (zh, en string) {
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
	bare := strings.Map(dropSeparators, s)
	switch {
	case hasFullWidth(s):
		return "把全角数字改成半角数字（输入法切换到半角）", "use half-width digits (switch the input method to half-width)"
	case strings.HasPrefix(s, "+86") || strings.HasPrefix(s, "86") && len(digits) == 13:
		return "去掉国家代码 +86，只写 11 位手机号", "leave out the country code +86 and write the 11-digit mobile number"
	case strings.HasPrefix(s, "0") && strings.Contains(s, "-") && strings.HasPrefix(s[strings.Index(s, "-")+1:], "0"):
		return "区号后面的号码不能以 0 开头", "the number after the area code cannot start with 0"
	case s != strings.Map(keepDash, s) && ValidPhone(strings.Map(keepDash, s)):
		return "去掉空格和其他符号，只写数字", "remove the spaces and other marks; write the digits only"
	case bare != s && mobileRE.MatchString(bare):
		return "去掉空格和短横线，连写 11 位数字", "remove the spaces and dashes; write the 11 digits together"
	case bare != s && landlineRE.MatchString(bare) && len(bare) <= 12:
		return "写成“区号-号码”，如 \"0728-1234567\"", "write the area code, a dash and the number, e.g. \"0728-1234567\""
	case len(digits) == 11 && digits[0] == '1' && len(digits) == len([]rune(s)):
		return "手机号以 13–19 开头；检查第二位数字", "a mobile number starts with 13–19; check the second digit"
	case len(digits) > 0 && digits[0] == '1':
		return fmt.Sprintf("手机号应为 11 位数字（这里是 %d 位），以 13–19 开头", len(digits)),
			fmt.Sprintf("a mobile number has 11 digits (this has %d) and starts with 13–19", len(digits))
	case len(digits) > 0 && digits[0] == '0':
		return "座机号要带区号，如 \"0728-1234567\"", "a landline needs its area code, e.g. \"0728-1234567\""
	}
	return "写成 11 位手机号（如 \"13800138000\"）或带区号的座机号（如 \"0728-1234567\"）",
		"write an 11-digit mobile number (e.g. \"13800138000\") or a landline with its area code (e.g. \"0728-1234567\")"
}

// keepDash keeps digits and hyphens.
func keepDash(r rune) rune {
	if r >= '0' && r <= '9' || r == '-' {
		return r
	}
	return -1
}
