"""NET: network exposure: NetworkPolicy coverage and content, Services, Ingress TLS, Istio mTLS."""
