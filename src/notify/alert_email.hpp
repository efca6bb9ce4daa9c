#pragma once
// The text of an alert email, rendered at delivery time from the generic payload
// stored in the outbox, so "expires in …" is true when the message leaves, even after
// hours of retries. Says which token (name, id, Client ID — never the secret), when
// it expires (absolute and relative) and exactly how to refresh it. Pure.
#include "core/time.hpp"

#include <boost/json/object.hpp>

#include <string>

namespace gatehouse::notify {

struct EmailContent {
  std::string subject;
  std::string body;
};

EmailContent render_alert_email(const boost::json::object& payload, Time now);

}  // namespace gatehouse::notify
