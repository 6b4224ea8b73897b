package genload

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The workload contract's test vectors (test/fixtures/workload-vectors, contract in
// lib/shared/workload/contract.ts): the same files and expectations the CLI's
// reader is checked against in lib/cli/workload/vectors.test.ts.

const vectorsDir = "../../../test/fixtures/workload-vectors"

type workloadVector struct {
	File     string         `json:"file"`
	Valid    bool           `json:"valid"`
	Header   map[string]any `json:"header"`
	Classes  []string       `json:"classes"`
	AtMs     []*float64     `json:"atMs"`
	Line     *int           `json:"line"`
	Mentions []string       `json:"mentions"`
}

func TestWorkloadVectorsReadAsTheContractSays(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(filepath.Join(vectorsDir, "expected.json"))
	require.NoError(t, err)
	var expected struct {
		Vectors []workloadVector `json:"vectors"`
	}
	require.NoError(t, json.Unmarshal(raw, &expected))
	require.GreaterOrEqual(t, len(expected.Vectors), 10)
	for _, v := range expected.Vectors {
		t.Run(v.File, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(vectorsDir, v.File))
			require.NoError(t, err)
			s, err := parseWorkload(v.File, data)
			if !v.Valid {
				require.Error(t, err)
				prefix := ""
				if v.Line != nil {
					prefix = fmt.Sprintf("line %d: ", *v.Line)
				}
				named := false
				for _, problem := range strings.Split(err.Error(), "; ") {
					if !strings.Contains(problem, prefix) {
						continue
					}
					all := true
					for _, m := range v.Mentions {
						all = all && strings.Contains(problem, m)
					}
					named = named || all
				}
				require.True(t, named, "no problem %snames %v: %v", prefix, v.Mentions, err)
				return
			}
			require.NoError(t, err)
			var header map[string]any
			require.NoError(t, json.Unmarshal([]byte(s.headerJSON), &header))
			require.Equal(t, v.Header, header)
			require.Equal(t, v.Header["api"], s.api)
			require.Equal(t, v.Header["trace"], s.trace)
			require.Len(t, s.requests, len(v.Classes))
			for i, r := range s.requests {
				require.Equal(t, v.Classes[i], classNames[r.class], "request %d", i)
				if v.AtMs[i] == nil {
					require.False(t, r.atMs.set, "request %d has no atMs", i)
				} else {
					require.Equal(t, opt{*v.AtMs[i], true}, r.atMs, "request %d", i)
				}
			}
		})
	}
}
