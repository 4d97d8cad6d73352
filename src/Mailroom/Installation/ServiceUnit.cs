using Mailroom.Configuration;

namespace Mailroom.Installation;

/// <summary>
/// The systemd unit <c>mailroom install</c> writes. The service runs as the unprivileged user from the first
/// instruction (no root at all: the ambient CAP_NET_BIND_SERVICE binds 25, 110, 143, 465, 587, 993 and 995), and the
/// sandbox is what <c>systemd-analyze security</c> recommends minus what a .NET mail server cannot bear:
/// MemoryDenyWriteExecute (the JIT writes code), PrivateNetwork and IPAddressDeny (it talks to the world), and
/// <c>ProcSubset=pid</c> (the runtime sizes its heap from /proc/meminfo and its thread pool from /proc/stat), and
/// <c>~@privileged</c> in the system call filter (SQLite and the runtime call fchown and setgroups-family calls
/// in paths that are not worth a crash to find).
/// </summary>
internal static class ServiceUnit
{
    public const string Name = "mailroom.service";

    public static string Render(InstallLayout layout) => $"""
        # Written by `mailroom install`; `mailroom install` again rewrites it, `mailroom uninstall` removes it.
        # Local changes belong in a drop-in: systemctl edit mailroom
        [Unit]
        Description=Mailroom mail server (SMTP, POP3, IMAP, ManageSieve)
        Documentation=man:systemd.exec(5)
        After=network-online.target
        Wants=network-online.target

        [Service]
        # READY=1 once every listener accepts; RELOADING=1/READY=1 around a SIGHUP; STOPPING=1 at shutdown.
        Type=notify
        NotifyAccess=main
        ExecStart={layout.InstalledBinary} serve --config {InstalledPaths.ConfigurationFile} --data {InstalledPaths.DataDirectory}
        # SIGHUP: the configuration file and the certificate are read again, connections stay (certbot's deploy hook).
        ExecReload=/bin/kill -HUP $MAINPID
        Restart=on-failure
        RestartSec=5s
        TimeoutStopSec=60s
        User={layout.UserName}
        Group={layout.UserName}
        UMask=0077
        LimitNOFILE=65536
        # The single-file program unpacks its native SQLite library here, not in the data.
        CacheDirectory=mailroom
        CacheDirectoryMode=0700
        Environment=DOTNET_BUNDLE_EXTRACT_BASE_DIR={InstalledPaths.CacheDirectory}
        Environment=DOTNET_CLI_TELEMETRY_OPTOUT=1

        # Ports below 1024 without root, and no other privilege, ever.
        AmbientCapabilities=CAP_NET_BIND_SERVICE
        CapabilityBoundingSet=CAP_NET_BIND_SERVICE
        NoNewPrivileges=yes

        # Read-only system; the data directory is the one place it writes.
        ProtectSystem=strict
        ReadWritePaths={InstalledPaths.DataDirectory}
        ProtectHome=yes
        PrivateTmp=yes
        PrivateDevices=yes
        ProtectKernelTunables=yes
        ProtectKernelModules=yes
        ProtectKernelLogs=yes
        ProtectControlGroups=yes
        ProtectClock=yes
        ProtectHostname=yes
        ProtectProc=invisible
        RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK
        RestrictNamespaces=yes
        RestrictRealtime=yes
        RestrictSUIDSGID=yes
        LockPersonality=yes
        RemoveIPC=yes
        SystemCallArchitectures=native
        SystemCallFilter=@system-service
        SystemCallFilter=~@obsolete @mount @swap @reboot @module @raw-io @debug @cpu-emulation
        SystemCallErrorNumber=EPERM

        [Install]
        WantedBy=multi-user.target

        """;
}
