package sqlstore

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/samlab/samlab/scim"
	"github.com/samlab/samlab/scim/storetest"
)

// Twenty concurrent creates of one userName: exactly one lands, the others
// are ErrConflict.
func testConcurrentCreate(t *testing.T, s scim.Store) {
	const n = 20
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			u := storetest.NewUser(100 + i)
			u.UserName = "same@example.com"
			<-start
			errs[i] = s.CreateUser(context.Background(), u)
		}()
	}
	close(start)
	wg.Wait()
	ok := 0
	for i, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, scim.ErrConflict):
			t.Errorf("create %d: %v, want nil or ErrConflict", i, err)
		}
	}
	if ok != 1 {
		t.Errorf("%d of %d concurrent creates of one userName succeeded, want exactly 1", ok, n)
	}
	users, _, err := s.ListUsers(context.Background(), scim.UserQuery{UserName: "same@example.com", Count: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 1 {
		t.Errorf("%d users named same@example.com, want 1", len(users))
	}
}

func TestSQLiteConcurrentCreate(t *testing.T) { testConcurrentCreate(t, openSQLiteTest(t)) }

func TestPostgresConcurrentCreate(t *testing.T) { testConcurrentCreate(t, openPostgresTest(t)) }

// Concurrent read-modify-writes of one user lose no update.
func testConcurrentUpdate(t *testing.T, s scim.Store) {
	ctx := context.Background()
	if err := s.CreateUser(ctx, storetest.NewUser(1)); err != nil {
		t.Fatal(err)
	}
	const n = 20
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.UpdateUser(ctx, storetest.NewUser(1).ID, func(u *scim.User) error {
				u.NickName += "x"
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	u, err := s.GetUser(ctx, storetest.NewUser(1).ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := "ada" + strings.Repeat("x", n); u.NickName != want {
		t.Errorf("after %d concurrent appends nickName = %q, want %q", n, u.NickName, want)
	}
}

func TestSQLiteConcurrentUpdate(t *testing.T) { testConcurrentUpdate(t, openSQLiteTest(t)) }

func TestPostgresConcurrentUpdate(t *testing.T) { testConcurrentUpdate(t, openPostgresTest(t)) }

// The crash test re-executes the test binary as a child that writes users
// (and every tenth user a group of the last ten) and prints each id once
// its write is acknowledged; the parent kill -9's it in mid-load.
const crashChildEnv = "SAMLAB_SQLSTORE_CRASH_CHILD"

// crashWriters write side by side, so that on SQLite the kill also lands
// in shared (group) commits.
const crashWriters = 4

func crashChild() {
	ctx := context.Background()
	s, err := Open(ctx, os.Getenv(crashChildEnv), os.Getenv(crashChildEnv+"_STATE"))
	if err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	var mu sync.Mutex
	say := func(format string, args ...any) {
		mu.Lock()
		fmt.Printf(format+"\n", args...) // unbuffered: printed means acknowledged
		mu.Unlock()
	}
	for w := range crashWriters {
		go func() {
			var mine []string
			for k := 0; ; k++ {
				i := k*crashWriters + w + 1
				if err := s.CreateUser(ctx, storetest.NewUser(i)); err != nil {
					say("error %v", err)
					os.Exit(2)
				}
				say("user %d", i)
				mine = append(mine, storetest.NewUser(i).ID)
				if len(mine) == 10 {
					if err := s.CreateGroup(ctx, &scim.Group{ID: fmt.Sprint("g-", i), DisplayName: fmt.Sprint("G", i), Members: mine}); err != nil {
						say("error %v", err)
						os.Exit(2)
					}
					say("group %d", i)
					mine = nil
				}
			}
		}()
	}
	select {}
}

func testCrash(t *testing.T, database, stateDir string) {
	if os.Getenv(crashChildEnv) != "" {
		crashChild()
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+database, crashChildEnv+"_STATE="+stateDir)
	if database == "" {
		// Open treats "" as the embedded default; pass the file instead.
		cmd.Env = append(os.Environ(), crashChildEnv+"=sqlite:"+filepath.Join(stateDir, DefaultFile))
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	users, groups := map[int]bool{}, map[int]bool{}
	lines := bufio.NewScanner(stdout)
	killed := false
	deadline := time.Now().Add(20 * time.Second)
	for lines.Scan() {
		var kind string
		var i int
		if _, err := fmt.Sscan(lines.Text(), &kind, &i); err != nil {
			if strings.HasPrefix(lines.Text(), "error") {
				t.Fatalf("child: %s", lines.Text())
			}
			continue
		}
		switch kind {
		case "user":
			users[i] = true
		case "group":
			groups[i] = true
		}
		// Kill at an arbitrary point after a few hundred writes, not on a
		// line boundary the child chose.
		if !killed && (len(users) >= 300 || time.Now().After(deadline)) {
			time.Sleep(time.Duration(rand.IntN(5000)) * time.Microsecond)
			cmd.Process.Kill() // SIGKILL: no deferred code, no flush
			killed = true
		}
	}
	cmd.Wait()
	if !killed {
		t.Fatalf("child stopped by itself after %d users", len(users))
	}
	if len(users) < 300 {
		t.Fatalf("child acknowledged only %d users", len(users))
	}

	s, err := Open(context.Background(), database, stateDir)
	if err != nil {
		t.Fatalf("reopen after kill -9: %v", err)
	}
	defer s.Close()
	ctx := context.Background()
	for i := range users {
		got, err := s.GetUser(ctx, storetest.NewUser(i).ID)
		if err != nil {
			t.Errorf("acknowledged user %d: %v", i, err)
			continue
		}
		storetest.Same(t, got, storetest.NewUser(i))
	}
	// Every stored user and group is whole, acknowledged or not.
	n := 0
	for cursor := ""; ; {
		page, next, err := s.ListUsers(ctx, scim.UserQuery{Count: 100, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range page {
			var i int
			fmt.Sscanf(u.ID, "u-%d", &i)
			storetest.Same(t, &u, storetest.NewUser(i))
			n++
		}
		if next == "" {
			break
		}
		cursor = next
	}
	if n < len(users) || n > len(users)+crashWriters {
		t.Errorf("%d users stored, %d acknowledged: want the acknowledged ones and at most one more per writer (committed, not yet printed)", n, len(users))
	}
	for i := range groups {
		g, err := s.GetGroup(ctx, fmt.Sprint("g-", i))
		if err != nil {
			t.Errorf("acknowledged group %d: %v", i, err)
			continue
		}
		if len(g.Members) != 10 {
			t.Errorf("group %d has %d members, want 10", i, len(g.Members))
		}
	}
	all, _, err := s.ListGroups(ctx, scim.GroupQuery{Count: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range all {
		if len(g.Members) != 10 {
			t.Errorf("group %s half-written: %d members, want 10", g.ID, len(g.Members))
		}
	}
	t.Logf("killed after %d acknowledged users, %d groups; %d users stored", len(users), len(groups), n)
	// The store still takes writes.
	if err := s.CreateUser(ctx, storetest.NewUser(100000)); err != nil {
		t.Errorf("write after reopen: %v", err)
	}
}

func TestSQLiteCrash(t *testing.T) {
	dir := os.Getenv(crashChildEnv + "_STATE")
	if dir == "" {
		dir = t.TempDir()
	}
	testCrash(t, "", dir)
}

func TestPostgresCrash(t *testing.T) {
	dsn := os.Getenv(crashChildEnv)
	if dsn == "" {
		dsn = postgresSchema(t)
	}
	testCrash(t, dsn, "")
}

// Writes that fail beside writes that land (on SQLite, in the same group
// commit) leave nothing behind; the others land whole.
func testConcurrentMixed(t *testing.T, s scim.Store) {
	ctx := context.Background()
	for i := 1; i <= 5; i++ {
		if err := s.CreateUser(ctx, storetest.NewUser(i)); err != nil {
			t.Fatal(err)
		}
	}
	const n = 40
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			members := []string{storetest.NewUser(1 + i%5).ID, storetest.NewUser(1 + (i+1)%5).ID}
			if i%2 == 1 {
				members = append(members, "ghost") // the group row is written, then this fails
			}
			<-start
			errs[i] = s.CreateGroup(ctx, &scim.Group{ID: fmt.Sprint("g-", i), DisplayName: fmt.Sprint("G", i), Members: members})
		}()
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		g, getErr := s.GetGroup(ctx, fmt.Sprint("g-", i))
		if i%2 == 1 {
			if !errors.Is(err, scim.ErrNotFound) || !errors.Is(getErr, scim.ErrNotFound) {
				t.Errorf("group %d with a ghost member: create %v, get %v; want both ErrNotFound", i, err, getErr)
			}
			continue
		}
		members := -1
		if g != nil {
			members = len(g.Members)
		}
		if err != nil || getErr != nil || members != 2 {
			t.Errorf("group %d: create %v, get %v, %d members; want it whole with 2 members", i, err, getErr, members)
		}
	}
}

func TestSQLiteConcurrentMixed(t *testing.T) { testConcurrentMixed(t, openSQLiteTest(t)) }

func TestPostgresConcurrentMixed(t *testing.T) { testConcurrentMixed(t, openPostgresTest(t)) }
