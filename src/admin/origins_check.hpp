#pragma once
// /readyz?origins=1: a TCP connect to every origin server at once (admin/origin_probe.hpp),
// each within its origin's connect timeout; ready when every origin has a server that
// accepts, else a 503 naming each origin none of whose servers did, and why.
#include "admin/exchange.hpp"

namespace cachet::admin {

// Answers the exchange once the last probe ends; a connection closed first cancels those
// still running.
void check_origins(AdminExchange& exchange);

}  // namespace cachet::admin
