package scaffold

import (
	"encoding/json"
	"fmt"
)

// Every skeleton keeps its state as a JSON object. The kill -9 test reads it
// with stateRuns, which is strict on purpose: a torn or truncated file must
// not read as a state.

// stateRuns returns the "runs" counter of a state file written by a periodic
// skeleton. It is an error unless b is a whole state file holding both
// entries the example work writes, "runs" and "last_run".
func stateRuns(b []byte) (int, error) {
	var st struct {
		Runs    *int
		LastRun *string `json:"last_run"`
	}
	if err := json.Unmarshal(b, &st); err != nil {
		return 0, err
	}
	if st.Runs == nil || st.LastRun == nil {
		return 0, fmt.Errorf("runs or last_run missing")
	}
	return *st.Runs, nil
}
