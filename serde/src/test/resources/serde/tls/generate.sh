#!/usr/bin/env bash
# Regenerates the test-only TLS material for the Schema Registry HTTPS tests (valid for 100 years).
# Password of every store and key: changeit. Not secret, never used outside tests.
set -euo pipefail
cd "$(dirname "$0")"
rm -f *.p12 *.crt
keytool -genkeypair -alias registry -keyalg EC -groupname secp256r1 -validity 36500 -dname CN=localhost \
  -ext SAN=dns:localhost,ip:127.0.0.1 -keystore registry-keystore.p12 -storetype PKCS12 -storepass changeit -keypass changeit
keytool -genkeypair -alias client -keyalg EC -groupname secp256r1 -validity 36500 -dname CN=streamrag-client \
  -keystore client-keystore.p12 -storetype PKCS12 -storepass changeit -keypass changeit
keytool -exportcert -alias registry -keystore registry-keystore.p12 -storepass changeit -file registry.crt
keytool -exportcert -alias client -keystore client-keystore.p12 -storepass changeit -file client.crt
keytool -importcert -noprompt -alias registry -file registry.crt -keystore client-truststore.p12 -storetype PKCS12 -storepass changeit
keytool -importcert -noprompt -alias client -file client.crt -keystore registry-truststore.p12 -storetype PKCS12 -storepass changeit
rm -f *.crt
