// compose-validate loads a Compose file with the official Compose Specification loader
// (github.com/compose-spec/compose-go/v2, the library `docker compose` itself uses), with
// JSON-schema validation and the consistency checks on, prints the services it found, and then
// checks this repository's own rules:
//
//   - no top-level `version:` (obsolete in the Compose Specification);
//   - a service built with a build arg SERVICE names an existing services/<SERVICE>/src/main.ts,
//     and its build context holds the Dockerfile it names;
//   - every published port is bound to 127.0.0.1 (loopback only); no host networking;
//   - each Dockerfile that a service builds passes BuildKit's checks and this repository's
//     (see dockerfile.go).
//
// Exit status: 0 when all is well, 1 on any problem (each one printed on stderr), 2 on bad usage.
//
// Usage: compose-validate [-project-dir DIR] [FILE...]   (default FILE: docker-compose.yml)
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/sirupsen/logrus"
	"go.yaml.in/yaml/v3"
)

func main() {
	projectDir := flag.String("project-dir", ".", "directory that relative paths in the file are resolved against")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: compose-validate [-project-dir DIR] [FILE...]")
		flag.PrintDefaults()
	}
	flag.Parse()
	files := flag.Args()
	if len(files) == 0 {
		files = []string{"docker-compose.yml"}
	}
	os.Exit(run(*projectDir, files, os.Stdout, os.Stderr))
}

func run(projectDir string, files []string, stdout, stderr io.Writer) int {
	// The loader reports deprecations (such as `version:`) as logrus warnings: show them on stderr.
	logrus.SetOutput(stderr)
	logrus.SetFormatter(&logrus.TextFormatter{DisableTimestamp: true})

	absDir, err := filepath.Abs(projectDir)
	if err != nil {
		fmt.Fprintf(stderr, "ERROR: %v\n", err)
		return 2
	}
	var problems []string
	for _, f := range files {
		p := f
		if !filepath.IsAbs(p) {
			p = filepath.Join(absDir, p)
		}
		problems = append(problems, rawChecks(p)...)
	}

	options, err := cli.NewProjectOptions(files,
		cli.WithWorkingDirectory(absDir),
		// No OS environment and no .env file: the file must stand on its own, the same on every machine.
		cli.WithEnv(nil),
		cli.WithResolvedPaths(true),
	)
	if err != nil {
		fmt.Fprintf(stderr, "ERROR: %v\n", err)
		return 1
	}
	project, err := options.LoadProject(context.Background())
	if err != nil {
		fmt.Fprintf(stderr, "ERROR: %s is not a valid Compose file: %s\n", strings.Join(files, ", "), explain(err))
		return 1
	}

	fmt.Fprintf(stdout, "compose project %q: %d services, %d volumes, %d networks\n",
		project.Name, len(project.Services), len(project.Volumes), len(project.Networks))
	for _, name := range sortedKeys(project.Services) {
		svc := project.Services[name]
		fmt.Fprintf(stdout, "  %s\n", describe(absDir, svc))
		problems = append(problems, serviceChecks(absDir, svc)...)
	}
	fmt.Fprintln(stdout, "images built by the file:")
	problems = append(problems, checkBuilds(absDir, project, stdout)...)

	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintf(stderr, "ERROR: %s\n", p)
		}
		return 1
	}
	return 0
}

// The schema validator says "<path> false schema" for a key the schema does not allow (a typo).
var falseSchema = regexp.MustCompile(`(\S+) false schema`)

func explain(err error) string {
	return falseSchema.ReplaceAllString(err.Error(),
		"unknown key $1 (the Compose Specification has no such key here: check its spelling and indentation)")
}

// rawChecks looks at the file as YAML, before the loader normalises it away.
func rawChecks(path string) []string {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil // the loader reports a missing or unreadable file itself
	}
	var top map[string]any
	if err := yaml.Unmarshal(data, &top); err != nil {
		return nil // and a YAML syntax error too
	}
	if _, ok := top["version"]; ok {
		return []string{fmt.Sprintf("%s: remove the top-level `version:` key (obsolete in the Compose Specification)", path)}
	}
	return nil
}

func serviceChecks(projectDir string, svc types.ServiceConfig) []string {
	var problems []string
	if svc.Build != nil {
		if target, ok := svc.Build.Args["SERVICE"]; ok {
			if target == nil || *target == "" {
				problems = append(problems, fmt.Sprintf("service %s: build arg SERVICE is empty", svc.Name))
			} else {
				main := filepath.Join(projectDir, "services", *target, "src", "main.ts")
				if _, err := os.Stat(main); err != nil {
					problems = append(problems, fmt.Sprintf("service %s: build arg SERVICE=%s, but %s does not exist",
						svc.Name, *target, relTo(projectDir, main)))
				}
			}
		}
	}
	if svc.NetworkMode == "host" {
		problems = append(problems, fmt.Sprintf("service %s: network_mode: host publishes every port on every interface", svc.Name))
	}
	for _, port := range svc.Ports {
		if port.HostIP != "127.0.0.1" {
			hostIP := port.HostIP
			if hostIP == "" {
				hostIP = "all interfaces"
			}
			problems = append(problems, fmt.Sprintf("service %s: port %s is published on %s; bind it to 127.0.0.1 (\"127.0.0.1:%s:%d\")",
				svc.Name, portString(port), hostIP, orTarget(port), port.Target))
		}
	}
	return problems
}

func describe(projectDir string, svc types.ServiceConfig) string {
	var b strings.Builder
	b.WriteString(svc.Name)
	if svc.Build != nil {
		fmt.Fprintf(&b, " build=%s", relTo(projectDir, svc.Build.Context))
		for _, k := range sortedKeys(svc.Build.Args) {
			if v := svc.Build.Args[k]; v != nil {
				fmt.Fprintf(&b, " %s=%s", k, *v)
			}
		}
	}
	if svc.Image != "" {
		fmt.Fprintf(&b, " image=%s", svc.Image)
	}
	if len(svc.Ports) > 0 {
		ports := make([]string, 0, len(svc.Ports))
		for _, p := range svc.Ports {
			ports = append(ports, portString(p))
		}
		fmt.Fprintf(&b, " ports=%s", strings.Join(ports, ","))
	}
	if len(svc.DependsOn) > 0 {
		deps := make([]string, 0, len(svc.DependsOn))
		for _, name := range sortedKeys(svc.DependsOn) {
			deps = append(deps, name+"("+svc.DependsOn[name].Condition+")")
		}
		fmt.Fprintf(&b, " depends_on=%s", strings.Join(deps, ","))
	}
	if svc.HealthCheck != nil && !svc.HealthCheck.Disable && len(svc.HealthCheck.Test) > 0 {
		b.WriteString(" healthcheck=yes")
	}
	if svc.Restart != "" {
		fmt.Fprintf(&b, " restart=%s", svc.Restart)
	}
	return b.String()
}

func portString(p types.ServicePortConfig) string {
	s := fmt.Sprintf("%d/%s", p.Target, p.Protocol)
	if p.Published != "" {
		s = p.Published + "->" + s
	}
	if p.HostIP != "" {
		s = p.HostIP + ":" + s
	}
	return s
}

func orTarget(p types.ServicePortConfig) string {
	if p.Published != "" {
		return p.Published
	}
	return fmt.Sprint(p.Target)
}

func relTo(base, path string) string {
	if r, err := filepath.Rel(base, path); err == nil {
		if r == "." {
			return "."
		}
		if !strings.HasPrefix(r, "..") {
			return "./" + r
		}
	}
	return path
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
