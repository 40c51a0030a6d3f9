# syntax=docker/dockerfile:1
# aiperf-exporter: static binary on a distroless, non-root base.
#   docker build -t aiperf-exporter \
#     --build-arg VERSION=$(git describe --tags --always) \
#     --build-arg REVISION=$(git rev-parse HEAD) \
#     --build-arg BRANCH=$(git rev-parse --abbrev-ref HEAD) \
#     --build-arg BUILD_DATE=$(date -u +%Y%m%dT%H%M%SZ) .

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
# The patched chat-template engine go.mod's replace points at (third_party/jinja/PATCHES.md).
COPY third_party ./third_party
RUN go mod download
COPY . .
ARG VERSION=dev
ARG REVISION=unknown
ARG BRANCH=unknown
ARG BUILD_USER=docker
ARG BUILD_DATE=unknown
RUN CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w \
        -X github.com/prometheus/common/version.Version=${VERSION} \
        -X github.com/prometheus/common/version.Revision=${REVISION} \
        -X github.com/prometheus/common/version.Branch=${BRANCH} \
        -X github.com/prometheus/common/version.BuildUser=${BUILD_USER} \
        -X github.com/prometheus/common/version.BuildDate=${BUILD_DATE}" \
      -o /out/aiperf-exporter ./cmd/aiperf-exporter

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/aiperf-exporter /aiperf-exporter
USER nonroot:nonroot
EXPOSE 9803
ENTRYPOINT ["/aiperf-exporter"]
CMD ["serve"]
