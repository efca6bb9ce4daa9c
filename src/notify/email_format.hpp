#pragma once
// Internet Message Format (RFC 5322) for the alert emails: one text/plain UTF-8
// message per recipient, quoted-printable (RFC 2045) so any SMTP server takes it
// (no 8BITMIME needed), and an RFC 2047 encoded Subject when it is not ASCII.
// Pure functions.
#include "core/time.hpp"

#include <string>
#include <string_view>

namespace gatehouse::notify {

struct EmailMessage {
  std::string to;          // one addr-spec
  std::string subject;     // UTF-8
  std::string body;        // UTF-8, lines separated by "\n"
  std::string message_id;  // the outbox id: the same on every retry
  Time date{};
};

// The whole message, CRLF line ends: Date, From, To, Subject, Message-ID,
// MIME-Version, Content-Type, Content-Transfer-Encoding, Auto-Submitted, then the body.
// `from` is the configured sender ("alerts@example.com" or "Name <alerts@example.com>").
std::string format_email(const EmailMessage& m, std::string_view from);

// The addr-spec of "Name <addr>" (or the text itself when there are no brackets).
std::string address_of(std::string_view mailbox);

// "Tue, 02 Jan 2026 03:04:05 +0000" (RFC 5322 §3.3, always UTC).
std::string rfc5322_date(Time t);
// Quoted-printable with CRLF line ends and soft breaks at 76 characters.
std::string quoted_printable(std::string_view utf8_text);
// The text as is when it is printable ASCII, else RFC 2047 "B" encoded words
// (never splitting a UTF-8 sequence), folded onto continuation lines.
std::string encode_header_text(std::string_view utf8_text);

}  // namespace gatehouse::notify
