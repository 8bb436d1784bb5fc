package sqlstore

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/samlab/samlab/scim"
	"github.com/samlab/samlab/scim/storetest"
)

func openSQLiteTest(t testing.TB) scim.Store {
	t.Helper()
	s, err := Open(context.Background(), "", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestSQLiteContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) scim.Store { return openSQLiteTest(t) })
}

func TestSQLiteFileModes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	s, err := Open(context.Background(), "", dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CreateUser(context.Background(), storetest.NewUser(1)); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for path, want := range map[string]os.FileMode{dir: 0o700 | os.ModeDir, filepath.Join(dir, "scim.db"): 0o600, filepath.Join(dir, "scim.db-wal"): 0o600} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != want {
			t.Errorf("%s: mode %v, want %v", path, fi.Mode(), want)
		}
	}
}
