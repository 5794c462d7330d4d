// Command ferretdb runs an embedded FerretDB (SQLite backend) for local development.
//
// It exists because `go install github.com/FerretDB/FerretDB/cmd/ferretdb` builds a binary
// that panics at start-up for want of build/version/version.txt; the embeddable package
// github.com/FerretDB/FerretDB/ferretdb has no such requirement.
//
// Telemetry is disabled by the embeddable package itself, and it starts no debug HTTP listener.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/FerretDB/FerretDB/build/version"
	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27018", "TCP address to listen on")
	dir := flag.String("sqlite-dir", ".local/data/ferretdb", "directory for the SQLite database files (created if missing)")
	level := flag.String("log-level", "info", "log level: debug, info, warn or error (info logs every connection)")
	flag.Parse()

	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(*level)); err != nil {
		fmt.Fprintf(os.Stderr, "bad -log-level %q: %v\n", *level, err)
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: lvl}))
	slog.SetDefault(logger)

	if err := run(logger, *listen, *dir); err != nil {
		logger.Error("ferretdb failed", "error", err)
		os.Exit(1)
	}
}

func run(logger *slog.Logger, listen, dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if err = os.MkdirAll(abs, 0o755); err != nil {
		return err
	}
	if !strings.HasSuffix(abs, "/") {
		abs += "/" // the SQLite backend wants a directory URI ending with a slash
	}
	sqliteURL := (&url.URL{Scheme: "file", Path: abs}).String()

	// The embeddable package reports "unknown"; let buildInfo.ferretdbVersion tell the real one.
	version.Get().Version = ferretdbVersion()

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: sqliteURL,
	})
	if err != nil {
		return err
	}

	// always printed, whatever -log-level says: infra/local/start and people read it
	fmt.Fprintf(os.Stderr, "ferretdb %s: listening on %s, SQLite in %s\n", ferretdbVersion(), listen, sqliteURL)
	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()

	select {
	case <-ctx.Done():
		fmt.Fprintln(os.Stderr, "ferretdb: signal received, shutting down")
		err = <-done
	case err = <-done:
		if err == nil && ctx.Err() == nil {
			err = errors.New("listener stopped unexpectedly")
		}
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "ferretdb: stopped")
	return nil
}

// ferretdbVersion is the version of the FerretDB module compiled in.
func ferretdbVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "github.com/FerretDB/FerretDB" {
				return d.Version
			}
		}
	}
	return "(unknown version)"
}
