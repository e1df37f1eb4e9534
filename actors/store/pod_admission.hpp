#pragma once
// Admission of the pods a replication controller decides to create: they are
// decisions, appended by the store (not by the RC actor itself) so that they
// are checked against the namespace's limit ranges and quotas at the moment
// they are appended, serialised with users' creates. Pure: the store actor
// gates, calls this and appends what it returns.

#include <vector>

#include "actors/model/events.hpp"
#include "actors/model/state.hpp"

namespace berth::store {

/// `batch` with every podCreated admitted: its pod given the limit-range
/// defaults, or, when refused, replaced by one podCreateRefused on the pod's
/// controller ({"FailedCreate", "Error creating: pods \"web-x\" is forbidden:
/// ..."}) — one per controller and batch, at the place of its first refusal.
/// Pods admitted earlier in the batch count towards the quota of later ones.
/// Other events pass unchanged.
std::vector<model::event> admit_controller_pods(const model::cluster_state& s, std::vector<model::event> batch);

}  // namespace berth::store
