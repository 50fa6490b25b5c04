# slurmdbd-net on Debian 12. Build: docker build -t slurmdbd-net .
# Run with a slurmdbd.conf and the host's munge socket:
#   docker run --network host -v /etc/slurm:/etc/slurm:ro -v /run/munge:/run/munge slurmdbd-net
FROM mcr.microsoft.com/dotnet/sdk:10.0-bookworm-slim AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Dbd -c Release -o /app

FROM mcr.microsoft.com/dotnet/runtime:10.0-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libmunge2 && rm -rf /var/lib/apt/lists/*
COPY --from=build /app /app
EXPOSE 6819
ENTRYPOINT ["/app/slurmdbd-net", "-D", "-f", "/etc/slurm/slurmdbd.conf"]
