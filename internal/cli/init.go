package cli

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/care-tool/care/internal/fsutil"
	"github.com/care-tool/care/internal/i18n"
	"github.com/care-tool/care/internal/scaffold"
)

type initOptions struct {
	dir    string
	school string
	noGit  bool
}

func (app *App) newInitCmd() *cobra.Command {
	opts := &initOptions{}
	cmd := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Create a ready records repository in DIR (default: the current folder)",
		Long: `Create a new records repository in DIR (created if needed; default: the
current folder):

  care.yaml                    settings with every field explained in Chinese and
                               English: school, this school year's term, school
                               age, an example staff member and class, targets, rules
  children/ pairings/ talks/   the record folders
  README.md                    for staff: how to add records and run care
  .gitignore                   keeps care's cache (.care/cache/) out of git
  .github/workflows/care.yml   CI for GitHub, Gitea Actions and Forgejo Actions
  .gitlab-ci.yml               CI for GitLab, with a JUnit report
  .pre-commit-config.yaml      runs care validate before each commit (pre-commit)
  .vscode/settings.json        VS Code (YAML extension): completion and checks
  .care/schema/                the JSON Schemas the editor settings point at

The term in care.yaml is the one of today's school year: the autumn term
(September 1 to January 22) from August to January, else the spring term
(February 20 to July 5); correct the dates to your school's calendar.
care.yaml is valid as written: care validate passes straight away.

When DIR is not inside a git repository, care runs git init there (skipped
with a note when git is not installed, or with --no-git).

init never writes over anything: DIR must be empty or not exist yet (a .git
folder is allowed, and so are .DS_Store, Thumbs.db and desktop.ini, which
Finder and Explorer leave); otherwise it lists what is there and writes
nothing.

Exit status:
  0  the repository was created
  2  usage or runtime error (DIR is not empty, cannot be written); nothing is written`,
		Example: `  care init school-records
  care init --school 仙桃市某镇中心小学
  cd school-records && care validate`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.dir = "."
			if len(args) == 1 {
				opts.dir = args[0]
			}
			return app.runInit(opts)
		},
	}
	cmd.Flags().StringVar(&opts.school, "school", "", "the school's full `NAME` for care.yaml (default: a placeholder to replace)")
	cmd.Flags().BoolVar(&opts.noGit, "no-git", false, "do not run git init")
	return cmd
}

func (app *App) runInit(opts *initOptions) error {
	l := app.lang(nil)
	today, err := app.today()
	if err != nil {
		return err
	}
	wd, err := app.workDir()
	if err != nil {
		return err
	}
	dir := opts.dir
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(wd, dir)
	}
	shown := displayPath(dir)
	if shown == "" {
		shown = "."
	}
	if st, err := os.Lstat(dir); err == nil && st.Mode()&os.ModeSymlink != 0 {
		if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
			target, _ := os.Readlink(dir)
			return usagef("%s", l.Pick(fmt.Sprintf("%s 是指向 %s 的链接，那里什么也没有", shown, target),
				fmt.Sprintf("%s is a link to %s, where there is nothing", shown, target)))
		}
	}
	if st, err := os.Stat(dir); err == nil {
		if !st.IsDir() {
			return usagef("%s", l.Pick(shown+" 不是文件夹", shown+" is not a folder"))
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			return pathError(l, shown, dir, err)
		}
		var there []string
		for _, e := range entries {
			switch e.Name() {
			case ".git", ".DS_Store", "Thumbs.db", "desktop.ini":
				// A fresh clone; the files Finder and Explorer leave in
				// folders they have shown, which init never writes.
				continue
			}
			name := e.Name()
			if e.IsDir() {
				name += "/"
			}
			there = append(there, name)
		}
		if len(there) > 0 {
			sort.Strings(there)
			list := there
			if len(list) > 10 {
				list = append(list[:10:10], l.Pick(fmt.Sprintf("…等 %d 项", len(there)), fmt.Sprintf("… %d in all", len(there))))
			}
			hint := l.Pick("care init 只在空文件夹或新文件夹中创建仓库，从不覆盖已有的文件；换一个新文件夹，如 care init school-records",
				"care init only writes into an empty or new folder and never overwrites anything; pick a new folder, e.g. care init school-records")
			if hasString(there, "care.yaml") {
				hint = l.Pick("这里已经是记录仓库；运行 care validate 检查它", "this is a records repository already; run care validate to check it")
			}
			return withHint(usagef("%s", l.Pick(
				fmt.Sprintf("%s 不是空文件夹，里面有：%s", shown, strings.Join(list, "、")),
				fmt.Sprintf("%s is not empty; it holds: %s", shown, strings.Join(list, ", ")))), hint)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return pathError(l, shown, dir, err)
	}
	// A records repository inside another one is read as part of the outer
	// one: in a record folder its files would be taken for records (errors in
	// the outer repository's checks), elsewhere they are stray files.
	var outerNote string
	if outer := enclosingRepo(dir); outer != "" {
		where := displayPath(outer)
		if where == "" {
			where = "."
		}
		rel, _ := filepath.Rel(outer, dir)
		top, _, _ := strings.Cut(filepath.ToSlash(rel), "/")
		if top == "children" || top == "pairings" || top == "talks" {
			return withHint(usagef("%s", l.Pick(fmt.Sprintf("%s 在记录仓库 %s 的 %s/ 文件夹里", shown, where, top),
				fmt.Sprintf("%s is in the %s/ folder of the records repository %s", shown, top, where))),
				l.Pick(fmt.Sprintf("%s/ 里的文件都会当作记录检查；在记录仓库外面新建，或在 %s 里用 care new 添加记录", top, where),
					fmt.Sprintf("every file in %s/ is read as a record: create the repository elsewhere, or add records to %s with care new", top, where)))
		}
		outerNote = l.Pick(fmt.Sprintf("注意：%s 在记录仓库 %s 里面；在 %s 运行 care validate 会把新仓库的文件报告为多余的文件", shown, where, where),
			fmt.Sprintf("note: %s is inside the records repository %s; care validate there reports the new repository's files as stray", shown, where))
	}

	files, err := scaffold.InitFiles(scaffold.InitOptions{Today: today, School: opts.school, Version: Version})
	if err != nil {
		return err
	}
	// Decide about git before writing, since the new files do not change it.
	gitState := "skip"
	if !opts.noGit {
		gitState = gitStatus(dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return pathError(l, shown, dir, err)
	}
	var created []string
	for _, f := range files {
		full := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := fsutil.CreateNew(full, f.Data, f.Mode); err != nil {
			// Someone wrote into DIR meanwhile: undo what we wrote.
			for i := len(created) - 1; i >= 0; i-- {
				os.Remove(created[i])
			}
			return pathError(l, filepath.ToSlash(filepath.Join(shown, filepath.FromSlash(f.Path))), full, err)
		}
		created = append(created, full)
		fmt.Fprintln(app.IO.Out, filepath.ToSlash(filepath.Join(shown, filepath.FromSlash(f.Path))))
	}

	switch gitState {
	case "none":
		cmd := exec.Command("git", "init", "--quiet", dir)
		cmd.Stderr = app.IO.ErrOut
		if err := cmd.Run(); err != nil {
			fmt.Fprintf(app.IO.ErrOut, "care: %s\n", l.Pick("git init 失败："+err.Error()+"；请自己运行 git init",
				"git init failed: "+err.Error()+"; run git init yourself"))
		} else {
			fmt.Fprintf(app.IO.ErrOut, "care: %s\n", l.Pick("已在 "+shown+" 中运行 git init", "ran git init in "+shown))
		}
	case "missing":
		fmt.Fprintf(app.IO.ErrOut, "care: %s\n", l.Pick("没有找到 git，跳过 git init；装好 git 后请在 "+shown+" 中运行 git init",
			"git is not installed: skipped git init; run git init in "+shown+" once git is installed"))
	}

	if outerNote != "" {
		fmt.Fprintf(app.IO.ErrOut, "care: %s\n", outerNote)
	}
	cd := ""
	if shown != "." {
		cd = "cd " + shown + " && "
	}
	fmt.Fprintf(app.IO.ErrOut, "care: %s\n", l.Pick(
		fmt.Sprintf(`已创建记录仓库 %s。下一步：
  1. 修改 care.yaml：学校名称、学期日期、教职工和班级
  2. %scare validate
  3. care new child --id … --name … --class … --gender … --birth-date …
  4. git add . && git commit -m "建立关爱工程记录"，再推送到 Gitea、Forgejo、GitLab 或 GitHub`, shown, cd),
		fmt.Sprintf(`created the records repository %s. Next:
  1. edit care.yaml: the school's name, the term dates, staff and classes
  2. %scare validate
  3. care new child --id … --name … --class … --gender … --birth-date …
  4. git add . && git commit, then push to Gitea, Forgejo, GitLab or GitHub`, shown, cd)))
	return nil
}

// gitStatus says whether dir (which may not exist yet) is inside a git
// repository: "inside", "none", or "missing" when git is not installed.
func gitStatus(dir string) string {
	if _, err := exec.LookPath("git"); err != nil {
		return "missing"
	}
	// The nearest existing folder at or above dir decides.
	d := dir
	for {
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			break
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "none"
		}
		d = parent
	}
	cmd := exec.Command("git", "-C", d, "rev-parse", "--is-inside-work-tree")
	out, err := cmd.Output()
	if err == nil && strings.TrimSpace(string(out)) == "true" {
		return "inside"
	}
	return "none"
}

// enclosingRepo returns the nearest folder above dir that holds care.yaml,
// or "".
func enclosingRepo(dir string) string {
	for d := filepath.Dir(dir); ; d = filepath.Dir(d) {
		if st, err := os.Stat(filepath.Join(d, "care.yaml")); err == nil && st.Mode().IsRegular() {
			return d
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// pathError describes err, met while creating or reading full (shown to the
// user as shown), in the user's language for the usual causes: no
// permission, a file where a folder should be, a full or read-only disk.
func pathError(l i18n.Lang, shown, full string, err error) error {
	var why string
	switch {
	case errors.Is(err, syscall.ENOTDIR):
		// The first part of the path that exists and is not a folder.
		why = l.Pick("路径中有一部分不是文件夹", "a part of the path is not a folder")
		for d := full; ; {
			parent := filepath.Dir(d)
			if parent == d {
				break
			}
			if st, serr := os.Stat(parent); serr == nil {
				if !st.IsDir() {
					p := displayPath(parent)
					why = l.Pick("路径中的 "+filepath.ToSlash(p)+" 不是文件夹", filepath.ToSlash(p)+" in the path is not a folder")
				}
				break
			}
			d = parent
		}
	case errors.Is(err, os.ErrPermission):
		why = l.Pick("没有写入权限", "permission denied")
	case errors.Is(err, syscall.EROFS):
		why = l.Pick("磁盘是只读的", "the disk is read-only")
	case errors.Is(err, syscall.ENOSPC):
		why = l.Pick("磁盘已满", "the disk is full")
	default:
		why = unwrapPath(err).Error()
	}
	return errors.New(l.Pick(shown+"："+why, shown+": "+why))
}
