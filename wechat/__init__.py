"""WeChat official-account channel (微信公众号): the same answers, practice and binding as Telegram."""
