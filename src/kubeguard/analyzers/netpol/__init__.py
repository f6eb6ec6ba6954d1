"""Network reachability from manifests: the NetworkPolicy engine, matrices and diffs, policy generation,
recognition of Cilium and Calico policies, and Istio mTLS resolution."""
