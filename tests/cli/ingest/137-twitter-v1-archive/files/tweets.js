window.YTD.tweets.part0 = [
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "1600000000000000002"
          ],
          "editableUntil" : "2022-12-06T10:30:00.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : false
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://www.sprinklr.com\" rel=\"nofollow\">Sprinklr</a>",
      "entities" : {
        "hashtags" : [ ],
        "symbols" : [ ],
        "user_mentions" : [
          {
            "name" : "Bo",
            "screen_name" : "bo_lee",
            "indices" : [
              "0",
              "7"
            ],
            "id_str" : "1001",
            "id" : "1001"
          }
        ],
        "urls" : [
          {
            "url" : "https://t.co/Tr4ckP4rcl",
            "expanded_url" : "https://track.acme.example/?ref=tw",
            "display_url" : "track.acme.example/?ref=tw",
            "indices" : [
              "44",
              "67"
            ]
          }
        ]
      },
      "display_text_range" : [
        "0",
        "77"
      ],
      "favorite_count" : "1",
      "in_reply_to_status_id_str" : "1600000000000000001",
      "id_str" : "1600000000000000002",
      "in_reply_to_user_id" : "1001",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1600000000000000002",
      "in_reply_to_status_id" : "1600000000000000001",
      "created_at" : "Tue Dec 06 10:00:00 +0000 2022",
      "favorited" : false,
      "full_text" : "@bo_lee Sorry Bo! You can track it here: https://t.co/Tr4ckP4rcl &amp; DM us ^IJ",
      "lang" : "en",
      "in_reply_to_screen_name" : "bo_lee",
      "in_reply_to_user_id_str" : "1001"
    }
  },
  {
    "tweet" : {
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [
          {
            "text" : "AcmeDeals",
            "indices" : [
              "58",
              "68"
            ]
          }
        ],
        "symbols" : [ ],
        "user_mentions" : [
          {
            "name" : "Acme",
            "screen_name" : "Acme",
            "indices" : [
              "3",
              "8"
            ],
            "id_str" : "10",
            "id" : "10"
          }
        ],
        "urls" : [ ]
      },
      "display_text_range" : [
        "0",
        "68"
      ],
      "favorite_count" : "0",
      "id_str" : "1600000000000000003",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1600000000000000003",
      "created_at" : "Tue Dec 06 11:00:00 +0000 2022",
      "favorited" : false,
      "full_text" : "RT @Acme: Winter sale starts today, 20% off everything \ud83c\udf84 #AcmeDeals",
      "lang" : "en"
    }
  }
]
