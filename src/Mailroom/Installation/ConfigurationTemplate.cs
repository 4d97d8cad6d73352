using System.Text.Json;

namespace Mailroom.Installation;

/// <summary>
/// <c>/etc/mailroom/mailroom.json</c> as <c>mailroom install</c> first writes it: the settings an admin edits first,
/// with comments (the configuration reader allows them); everything else keeps its default (README, "Configuration",
/// and <c>mailroom config show</c>). Written once: a later <c>install</c> never overwrites the admin's file.
/// </summary>
internal static class ConfigurationTemplate
{
    public static string Render(string hostName) => $$"""
        // Mailroom's configuration (README, "Configuration", lists every key; `mailroom config show` prints what is in
        // force and where it came from). Comments are allowed. After a change: `mailroom config check`, then
        // `systemctl reload mailroom` (SIGHUP: read again without dropping connections).
        {
          "Smtp": {
            // The name in the SMTP greeting, Received: headers and Message-IDs: this server's name in DNS (its MX),
            // which the PTR record of its address should match.
            "Hostname": {{JsonSerializer.Serialize(hostName)}}
          },
          // The certificate served on 465, 993, 995 and after STARTTLS. None: a self-signed one in /var/lib/mailroom/tls.
          // With certbot, the deploy hook of README "Install on a server" copies the renewed files here and reloads.
          // "Net": {
          //   "Tls": {
          //     "CertificateFile": "/etc/mailroom/tls/fullchain.pem",
          //     "KeyFile": "/etc/mailroom/tls/privkey.pem"
          //   }
          // },
          // Prometheus metrics and health checks; "" turns them off.
          "Metrics": {
            "Listen": "127.0.0.1:9587"
          },
          "Log": {
            // The mail log is /var/lib/mailroom/log/maillog; true also copies its lines into the journal.
            "Console": false
          }
        }

        """;
}
