package indicator

import (
	"fmt"

	"github.com/care-tool/care/internal/i18n"
	"github.com/care-tool/care/internal/record"
)

// statusReason says why c is not enrolled on day x, from its status on x.
func statusReason(c *record.Child, x record.Date) i18n.Text {
	ev, ok := c.LastEventOn(x)
	if !ok {
		return i18n.Tf("未入学（%s 及之前无入学记录）", "not enrolled (no enrolment event on or before %s)", x)
	}
	d := ev.Date
	switch ev.Status {
	case record.DroppedOut:
		return i18n.Tf("%s 辍学", "dropped out on %s", d)
	case record.Suspended:
		return i18n.Tf("%s 起休学", "suspended since %s", d)
	case record.TransferredOut:
		if ev.School != "" {
			return i18n.Tf("%s 转出至%s", "transferred out on %s to %s", d, ev.School)
		}
		return i18n.Tf("%s 转出", "transferred out on %s", d)
	case record.Graduated:
		return i18n.Tf("%s 毕业", "graduated on %s", d)
	case record.Deceased:
		return i18n.Tf("%s 身故", "deceased on %s", d)
	case record.Enrolled:
		return i18n.Tf("%s 起在读", "enrolled since %s", d)
	}
	return i18n.Tf("%s 起学籍状态为 %q", "status %q since %s", ev.Status, d)
}

// talkReason says why c's talks in month m fall short.
func talkReason(cfg *record.Config, c *record.Child, m record.Month, s talkStats) i18n.Text {
	need := cfg.Rules.TalksPerMonth
	if anyStaff(cfg) {
		if s.count == 0 {
			return i18n.Tf("%s 无谈心记录", "no talk log in %s", m)
		}
		return i18n.Tf("%[3]s 谈心记录仅%[1]d次（应至少%[2]d次）", "only %d of %d talk logs in %s", s.count, need, m)
	}
	var t i18n.Text
	if s.headTeacher == "" {
		_, known := cfg.Class(c.Class)
		switch {
		case blank(c.Class):
			t = i18n.Tf("未填写班级，没有班主任，%s 的谈心记录无法计入", "no class, so no head teacher: no talk log can count in %s", m)
		case !known:
			t = i18n.Tf("班级 %[1]s 不在 care.yaml 中，没有班主任，%[2]s 的谈心记录无法计入",
				"class %s is not in care.yaml, so no head teacher: no talk log can count in %s", c.Class, m)
		default:
			t = i18n.Tf("%[1]s 班未设班主任，%[2]s 的谈心记录无法计入",
				"class %s has no head teacher: no talk log can count in %s", c.Class, m)
		}
	} else {
		name := cfg.StaffName(s.headTeacher)
		if s.count == 0 {
			t = i18n.Tf("%[2]s 无班主任%[1]s的谈心记录", "no talk log by %s in %s", name, m)
		} else {
			t = i18n.Tf("%[4]s 班主任%[3]s的谈心记录仅%[1]d次（应至少%[2]d次）", "only %d of %d talk logs by %s in %s",
				s.count, need, name, m)
		}
	}
	if s.others > 0 && s.headTeacher != "" {
		t.Zh += fmt.Sprintf("（其他教师的%d次不计入）", s.others)
		if s.others == 1 {
			t.En += " (1 by other staff does not count)"
		} else {
			t.En += fmt.Sprintf(" (%d by other staff do not count)", s.others)
		}
	}
	return t
}

// contactReason says that month m has no parent contact.
func contactReason(m record.Month) i18n.Text {
	return i18n.Tf("%s 无家长联系反馈记录", "no parent contact in %s", m)
}
