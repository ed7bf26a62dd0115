window.YTD.tweets.part0 = [ {
  "tweet" : {
    "id_str" : "3002",
    "created_at" : "Tue Jan 02 08:02:00 +0000 2024",
    "full_text" : "from an archive"
  }
} ]
