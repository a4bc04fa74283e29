#pragma once
// The /drills endpoints (README, "Drills"): POST starts a drill on one origin (replacing the
// one running there), GET lists the running ones, DELETE ends them all, or one with ?id=N or
// ?origin=NAME. They run on the admin thread, the drills' only writer
// (proxy/drill_board.hpp). A drill ends by itself at its deadline; the admin server's sweep
// then clears it and logs the end (end_expired_drills).
#include "admin/exchange.hpp"

namespace cachet::admin {

void start_drill(AdminExchange& exchange);  // POST /drills (token)
void list_drills(AdminExchange& exchange);  // GET /drills
void end_drills(AdminExchange& exchange);   // DELETE /drills[?id=N|?origin=NAME] (token)

// Once a second from the admin server's sweep: the drills past their deadline are cleared,
// each with its log line.
void end_expired_drills(AdminContext& context);

}  // namespace cachet::admin
