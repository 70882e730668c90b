package pii

import "testing"

func TestMasks(t *testing.T) {
	tests := []struct {
		f        func(string) string
		in, want string
	}{
		{Phone, "13800138000", "138****8000"},
		{Phone, "0728-1234567", "072*****4567"},
		{Phone, "12345", "*****"},
		{Phone, "", ""},
		{IDNumber, "42900420160512005X", "4290**********005X"},
		{IDNumber, "1234", "****"},
		{Address, "湖北省仙桃市某镇某村3组", "湖北省仙桃市某镇某村…"},
		{Address, "湖北省仙桃市沙湖镇红星村", "湖北省仙桃市沙湖镇红星村"},
		{Address, "广东省东莞市长安镇某路18号", "广东省东莞市长安镇…"},
		{Address, "上海市浦东新区某路88号", "上海市浦东新…"},
		{Address, "", ""},
	}
	for _, tt := range tests {
		if got := tt.f(tt.in); got != tt.want {
			t.Errorf("mask(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if (Masker{Show: true}).Phone("13800138000") != "13800138000" || (Masker{}).Phone("13800138000") != "138****8000" {
		t.Error("Masker")
	}
}
