package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/care-tool/care/internal/fsutil"
	"github.com/care-tool/care/internal/validate"
	"github.com/care-tool/care/schema"
)

type schemaOptions struct {
	name string
	out  string
}

func (app *App) newSchemaCmd() *cobra.Command {
	opts := &schemaOptions{}
	cmd := &cobra.Command{
		Use:   "schema [care|child|pairing|talk]",
		Short: "Print or write the JSON Schemas of the records",
		Long: `Print the JSON Schemas (draft 2020-12) that care validates the records
against: all four one after the other (four JSON documents, not one file's
worth), or the one named (care for care.yaml, child, pairing or talk). The schemas carry Chinese and English titles and
descriptions, which editors show as help.

--out DIR writes them as DIR/<name>.schema.json instead, replacing older
copies: run care schema --out .care/schema in a records repository after
upgrading care, so that the editor settings written by care init see the
current schemas. Each file written is printed.

Exit status:
  0  the schemas were printed or written
  2  usage or runtime error (unknown schema name, DIR cannot be written)`,
		Example: `  care schema child
  care schema child > child.schema.json
  care schema --out .care/schema`,
		Args:      cobra.MaximumNArgs(1),
		ValidArgs: []string{"care", "child", "pairing", "talk"},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.name = args[0]
			}
			return app.runSchema(opts)
		},
	}
	cmd.Flags().StringVar(&opts.out, "out", "", "write the schemas into folder `DIR` instead of printing them")
	return cmd
}

func (app *App) runSchema(opts *schemaOptions) error {
	l := app.lang(nil)
	names := schema.Names()
	if opts.name != "" {
		want := strings.TrimSuffix(strings.TrimSuffix(opts.name, ".json"), ".schema")
		if want == "config" || want == "care.yaml" {
			want = "care"
		}
		var kinds []string
		found := ""
		for _, n := range names {
			k := strings.TrimSuffix(n, ".schema.json")
			kinds = append(kinds, k)
			if k == want {
				found = n
			}
		}
		if found == "" {
			list := strings.Join(kinds, ", ")
			hint := l.Pick("已有的模式："+list, "known schemas: "+list)
			if near := validate.Near(want, kinds, 1); len(near) > 0 {
				hint = l.Pick("是不是 "+near[0]+"？", "did you mean "+near[0]+"? ") + hint
			}
			return withHint(usagef("%s", l.Pick(fmt.Sprintf("没有名为 %q 的模式", opts.name), fmt.Sprintf("no schema %q", opts.name))), hint)
		}
		names = []string{found}
	}
	if opts.out == "" {
		for _, n := range names {
			b, err := schema.Read(n)
			if err != nil {
				return err
			}
			if !bytes.HasSuffix(b, []byte("\n")) {
				b = append(b, '\n')
			}
			if _, err := app.IO.Out.Write(b); err != nil {
				return err
			}
		}
		return nil
	}
	out := opts.out
	if !filepath.IsAbs(out) {
		wd, err := app.workDir()
		if err != nil {
			return err
		}
		out = filepath.Join(wd, out)
	}
	if st, err := os.Stat(out); err == nil && !st.IsDir() {
		return usagef("--out %s: %s", opts.out, l.Pick("不是文件夹", "not a folder"))
	}
	for _, n := range names {
		b, err := schema.Read(n)
		if err != nil {
			return err
		}
		full := filepath.Join(out, n)
		if old, err := os.ReadFile(full); err == nil && bytes.Equal(old, b) {
			fmt.Fprintln(app.IO.Out, displayPath(full))
			continue
		}
		if err := fsutil.WriteAtomic(full, b, 0o644); err != nil {
			return pathError(l, "--out "+opts.out, full, err)
		}
		fmt.Fprintln(app.IO.Out, displayPath(full))
	}
	return nil
}
