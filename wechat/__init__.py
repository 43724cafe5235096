"""WeChat official-account channel (微信公众号): answers, practice and binding as on Telegram."""
