# syntax=docker/dockerfile:1
#
# samlab in a container: a static binary on distroless/static (CA
# certificates, tzdata, a non-root user, no shell).
#
#   docker build -t samlab .
#   docker run -p 127.0.0.1:8080:8080 -v samlab:/var/lib/samlab samlab
#
# The generated signing key lives in the /var/lib/samlab volume, so SPs
# that trust the metadata keep working across container restarts. Version
# stamping (the build context has no .git):
#   docker build --build-arg VERSION=$(git describe --tags --always) \
#     --build-arg REVISION=$(git rev-parse HEAD) \
#     --build-arg BUILD_TIME=$(date -u +%Y-%m-%dT%H:%M:%SZ) -t samlab .
# What this image relies on (static binary, empty environment, read-only
# file system but for the state directory) is tested without a container
# engine by TestStaticBinaryInEmptyEnvironment in cmd/samlab.

FROM golang:1.26-bookworm AS build
# go.mod names the toolchain with the security fixes; fetch it if the
# image's Go is older.
ENV GOTOOLCHAIN=auto CGO_ENABLED=0 GOFLAGS=-buildvcs=false
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/root/go/pkg/mod go mod download
COPY . .
ARG VERSION=""
ARG REVISION=""
ARG REVISION_TIME=""
ARG MODIFIED=""
ARG BUILD_TIME=""
RUN --mount=type=cache,target=/root/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    go build -trimpath \
      -ldflags "-s -w -X main.linkVersion=${VERSION} -X main.linkRevision=${REVISION} -X main.linkRevisionTime=${REVISION_TIME} -X main.linkModified=${MODIFIED} -X main.linkBuildTime=${BUILD_TIME}" \
      -o /out/samlab ./cmd/samlab \
 && mkdir -p /out/lib/samlab

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/samlab /usr/local/bin/samlab
# A named volume starts as a copy of this directory: owned by nonroot.
# (Copied as an entry of its parent, so that --chown applies to the
# directory itself, not only to its contents.)
COPY --from=build --chown=65532:65532 /out/lib/ /var/lib/
ENV SAMLAB_STATE_DIR=/var/lib/samlab
VOLUME ["/var/lib/samlab"]
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/samlab"]
# 0.0.0.0 so that a published port reaches it; with the demo tenant serve
# prints a warning, since anyone who reaches the port can sign in.
CMD ["serve", "--addr", "0.0.0.0:8080"]
