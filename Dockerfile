# The server in a container: `docker build -t locality-atlas .` then
# `docker run -p 8080:8080 -e LOCALITY_ATLAS_PUBLIC_URL=https://atlas.example.org locality-atlas`.
#
# Build stage: the release binary, which carries the data, the page and the fonts, so the
# runtime image needs nothing else.
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin locality-atlas \
    && ./target/release/locality-atlas check

# Runtime stage: glibc and libgcc only, no shell, run as an unprivileged user.
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /src/target/release/locality-atlas /usr/local/bin/locality-atlas
# Every `serve` option is also an environment variable (see the README); inside a container the
# server listens on all interfaces.
ENV LOCALITY_ATLAS_BIND=0.0.0.0 \
    LOCALITY_ATLAS_PORT=8080
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/locality-atlas"]
CMD ["serve"]
